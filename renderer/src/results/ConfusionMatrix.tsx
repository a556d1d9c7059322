import { normaliseRows } from './predictionSummary';

/** Rows: true class, columns: predicted; shade by row share so small classes read as well as large ones. */
export function ConfusionMatrix({ matrix, classNames }: { matrix: number[][]; classNames: string[] }) {
  const shares = normaliseRows(matrix);
  return (
    <div className="confusion" data-testid="confusion-matrix">
      <h3 className="subhead">Confusion matrix</h3>
      <table className="confusion-table">
        <thead>
          <tr>
            <th className="corner small muted">true ↓ / predicted →</th>
            {classNames.map((n) => (
              <th key={n} scope="col" className="small">
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => (
            <tr key={i}>
              <th scope="row" className="small">
                {classNames[i] ?? i}
              </th>
              {row.map((v, j) => {
                const share = shares[i]?.[j] ?? 0;
                return (
                  <td key={j} className={i === j ? 'diagonal' : ''} style={{ background: `color-mix(in srgb, ${i === j ? 'var(--ok)' : 'var(--error)'} ${Math.round(share * 70)}%, var(--panel))` }} title={`${classNames[i] ?? i} predicted as ${classNames[j] ?? j}: ${v} (${(share * 100).toFixed(0)} %)`}>
                    {v}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
