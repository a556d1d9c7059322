/**
 * The label-efficiency plot: the primary metric against the percentage of
 * training data (log x axis), one line per encoder (and mode) at the mean
 * over seeds, with a band from the lowest to the highest seed where there
 * is more than one seed, and a dashed chance line where chance is defined.
 * The y axis runs over the metric's whole range [0, 1], so a gap of 0.02
 * looks like one. Drawn by
 * vega-lite -> vega in Node without a canvas (SVG), and rasterised to PNG by
 * resvg with the system fonts.
 */
import { metricLabel } from '../../shared/metricNames';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { EvalCurve } from '../../shared/api/eval';

export interface PlotOptions {
  title: string;
  metric: string;
  width?: number;
  height?: number;
  /** the metric's chance level (dashed line), where one is defined */
  chance?: number | null;
}

/**
 * Chance level of a primary metric for a task with `classCount` classes:
 * balanced accuracy 1/C, AUROC 0.5. Plain accuracy depends on the class
 * shares and Dice / mAP have no fixed chance level: none is drawn for them.
 */
export function chanceLevel(metric: string, classCount: number): number | null {
  if (metric === 'balancedAccuracy' && classCount > 0) return 1 / classCount;
  if (metric === 'auroc') return 0.5;
  return null;
}

/** A series name per curve: the encoder alone when the study has a single mode. */
export function seriesName(curve: EvalCurve, curves: readonly EvalCurve[]): string {
  const modes = new Set(curves.map((c) => c.mode));
  return modes.size > 1 ? `${curve.encoder} (${curve.mode})` : curve.encoder;
}

export function labelEfficiencySpec(curves: readonly EvalCurve[], options: PlotOptions): vegaLite.TopLevelSpec {
  const values = curves.flatMap((c) => c.points.map((p) => ({ series: seriesName(c, curves), ...p })));
  // a band needs a spread: one seed shows its point alone, never a zero-width band
  const bandValues = values.filter((v) => v.seeds > 1);
  const chance = options.chance ?? null;
  const fractions = [...new Set(values.map((v) => v.fraction))].sort((a, b) => a - b);
  const x = {
    field: 'fraction',
    type: 'quantitative' as const,
    scale: { type: 'log' as const, domain: [Math.min(...fractions) * 0.8, Math.max(...fractions) * 1.25] },
    axis: { values: fractions, title: '% of training data (log scale)', format: '~g' },
  };
  const yScale = { domain: [0, 1] };
  const color = { field: 'series', type: 'nominal' as const, title: 'encoder', legend: { orient: 'bottom' as const, columns: 1, labelLimit: 0 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title, subtitle: `mean over seeds, band: min to max over seeds${chance === null ? '' : `; dashed: chance (${chance.toFixed(3)})`}` },
    width: options.width ?? 520,
    height: options.height ?? 320,
    background: 'white',
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
    layer: [
      { data: { values: bandValues }, mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'min', type: 'quantitative', scale: yScale }, y2: { field: 'max' }, color } },
      ...(chance === null
        ? []
        : [{ data: { values: [{ chance }] }, mark: { type: 'rule' as const, strokeDash: [6, 4], color: '#555' }, encoding: { y: { field: 'chance', type: 'quantitative' as const, scale: yScale } } }]),
      {
        data: { values },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: metricLabel(options.metric), scale: yScale },
          color,
          tooltip: [{ field: 'series' }, { field: 'fraction' }, { field: 'mean', format: '.3f' }, { field: 'sd', format: '.3f' }, { field: 'seeds' }],
        },
      },
    ],
  };
}

export async function renderPlotSvg(curves: readonly EvalCurve[], options: PlotOptions): Promise<string> {
  const compiled = vegaLite.compile(labelEfficiencySpec(curves, options)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
