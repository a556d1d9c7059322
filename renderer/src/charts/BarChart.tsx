import { formatCount } from '../lib/format';

export interface BarSegment {
  name: string;
  value: number;
  colour: string;
}

export interface BarRow {
  label: string;
  segments: BarSegment[];
}

/**
 * Horizontal stacked bars in plain SVG: class balance per split, split sizes.
 * Hovering a segment names it; the total is written at the end of the bar.
 */
export function BarChart({ rows, title, width = 520, rowHeight = 20 }: { rows: BarRow[]; title: string; width?: number; rowHeight?: number }) {
  const labelWidth = Math.min(180, Math.max(60, ...rows.map((r) => r.label.length * 7 + 8)));
  const totalWidth = 64;
  const barWidth = Math.max(60, width - labelWidth - totalWidth);
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((s, x) => s + x.value, 0)));
  const height = rows.length * (rowHeight + 6) + 4;
  return (
    <svg className="bar-chart" role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{title}</title>
      {rows.map((row, i) => {
        const y = 2 + i * (rowHeight + 6);
        let x = labelWidth;
        const total = row.segments.reduce((s, seg) => s + seg.value, 0);
        return (
          <g key={`${row.label}-${i}`}>
            <text x={labelWidth - 8} y={y + rowHeight * 0.7} textAnchor="end" className="bar-label">
              {row.label.length > 24 ? `${row.label.slice(0, 23)}…` : row.label}
            </text>
            <rect x={labelWidth} y={y} width={barWidth} height={rowHeight} className="bar-track" />
            {row.segments.map((seg) => {
              const w = (seg.value / max) * barWidth;
              const rect = (
                <rect key={seg.name} x={x} y={y} width={w} height={rowHeight} fill={seg.colour}>
                  <title>{`${row.label} · ${seg.name}: ${formatCount(seg.value)}`}</title>
                </rect>
              );
              x += w;
              return rect;
            })}
            <text x={labelWidth + barWidth + 6} y={y + rowHeight * 0.7} className="bar-total">
              {formatCount(total)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function Legend({ items }: { items: Array<{ name: string; colour: string }> }) {
  return (
    <div className="legend">
      {items.map((item) => (
        <span key={item.name}>
          <span className="swatch" style={{ background: item.colour }} />
          {item.name}
        </span>
      ))}
    </div>
  );
}
