import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LiveSeries {
  label: string;
  colour: string;
  /** right-hand axis (0..1 metrics next to a loss) */
  right?: boolean;
  dash?: number[];
  points?: boolean;
}

const stepIncrements = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000];

/** Never redraw more often than this, even if events arrive every millisecond. */
const minRedrawMs = 60;

/**
 * A uPlot line chart fed from outside React: `subscribe` tells it that data
 * changed and `getData` returns the current aligned arrays (typed-array views,
 * no copies). Redraws are coalesced into one per animation frame and at most
 * one every 60 ms, so a run streaming steps keeps the page responsive even at
 * 100,000 points.
 */
export function LiveChart({ title, series, getData, subscribe, height = 180, xLabel = 'step', yLabel, yRange, logY = false }: { title: string; series: LiveSeries[]; getData(): uPlot.AlignedData; subscribe(listener: () => void): () => void; height?: number; xLabel?: string; yLabel?: string; yRange?: [number, number]; logY?: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const getDataRef = useRef(getData);
  getDataRef.current = getData;
  // the chart is rebuilt only when the series change in content, not in identity
  const seriesKey = JSON.stringify(series);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const styles = getComputedStyle(document.documentElement);
    const text = styles.getPropertyValue('--muted').trim() || '#666';
    const grid = styles.getPropertyValue('--line').trim() || '#ddd';
    const axis = (scale: string, side: 0 | 1 | 2 | 3, label?: string): uPlot.Axis => ({ scale, side, stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px system-ui', labelFont: '11px system-ui', size: 44, ...(label ? { label, labelSize: 14 } : {}) });
    const hasRight = series.some((s) => s.right);
    const opts: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height,
      title: undefined,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false }, y: logY ? { distr: 3 } : yRange ? { range: yRange } : {}, r: { range: [0, 1] } },
      series: [
        { label: xLabel },
        ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5, scale: s.right ? 'r' : 'y', spanGaps: true, ...(s.dash ? { dash: s.dash } : {}), points: { show: s.points ?? false, size: 5, fill: s.colour } })),
      ],
      // steps are whole numbers: no 1.25-step ticks
      axes: [{ ...axis('x', 2, xLabel), incrs: stepIncrements }, axis('y', 3, yLabel), ...(hasRight ? [{ ...axis('r', 1), grid: { show: false } }] : [])],
    };
    const plot = new uPlot(opts, getDataRef.current(), host);
    plotRef.current = plot;

    let frame: number | null = null;
    let last = 0;
    const draw = () => {
      frame = null;
      const now = performance.now();
      if (now - last < minRedrawMs) {
        frame = requestAnimationFrame(draw);
        return;
      }
      last = now;
      plot.setData(getDataRef.current());
    };
    const unsubscribe = subscribe(() => {
      if (frame === null) frame = requestAnimationFrame(draw);
    });
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height }));
    resize.observe(host);
    return () => {
      unsubscribe();
      resize.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
      plot.destroy();
      plotRef.current = null;
    };
  }, [seriesKey, subscribe, height, xLabel, yLabel, logY, yRange?.[0], yRange?.[1]]);

  return (
    <figure className="live-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={hostRef} className="live-chart-host" />
    </figure>
  );
}
