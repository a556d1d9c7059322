import { useEffect, useMemo, useState } from 'react';
import type { PredictionItem, RunPredictions } from '../../../shared/api/runs';
import { formatMetric } from '../lib/format';
import { ImageViewer, type ViewerImage, type ViewerLayer } from '../viewer/ImageViewer';
import { decodeBase64Bytes } from '../viewer/maskColouring';
import { isCorrect } from './predictionSummary';

function useImageSize(url: string, known: { width: number; height: number } | null) {
  const [size, setSize] = useState(known);
  useEffect(() => {
    if (known) return;
    const img = new Image();
    img.onload = () => setSize({ width: img.naturalWidth, height: img.naturalHeight });
    img.src = url;
  }, [url, known]);
  return size;
}

/** One prediction next to its ground truth: two viewers side by side, or one viewer with both layers to toggle. */
export function PredictionViewer({ item, predictions }: { item: PredictionItem; predictions: RunPredictions }) {
  const [mode, setMode] = useState<'side' | 'toggle'>('side');
  const seg = item.segmentation;
  const size = useImageSize(item.imageDataUrl, seg ? { width: seg.truth.width, height: seg.truth.height } : null);
  const classes = useMemo(() => predictions.classNames.map((name, index) => ({ index, name })), [predictions.classNames]);

  const layers = useMemo(() => {
    const truth: ViewerLayer[] = [];
    const predicted: ViewerLayer[] = [];
    if (seg) {
      truth.push({ id: 'truth-mask', label: 'Ground truth', kind: 'mask', pixels: { width: seg.truth.width, height: seg.truth.height, data: decodeBase64Bytes(seg.truth.base64) } });
      predicted.push({ id: 'predicted-mask', label: 'Prediction', kind: 'mask', pixels: { width: seg.predicted.width, height: seg.predicted.height, data: decodeBase64Bytes(seg.predicted.base64) } });
    }
    if (item.detection) {
      truth.push({ id: 'truth-boxes', label: `Ground truth boxes (${item.detection.truth.length})`, kind: 'boxes', boxes: item.detection.truth });
      predicted.push({ id: 'predicted-boxes', label: `Predicted boxes (${item.detection.predicted.length})`, kind: 'boxes', boxes: item.detection.predicted, dashed: true });
    }
    return { truth, predicted };
  }, [item, seg]);

  const image = useMemo<ViewerImage | null>(() => (size ? { width: size.width, height: size.height, bitDepth: 8, modality: null, metadata: {}, src: () => item.imageDataUrl } : null), [size, item.imageDataUrl]);
  if (!image) return <div className="panel">Loading image…</div>;
  const hasOverlays = layers.truth.length + layers.predicted.length > 0;

  return (
    <aside className="panel prediction-viewer" aria-label="Selected prediction">
      <div className="row spread">
        <strong>
          Image {item.imageId ?? `#${item.index}`} · score {formatMetric(item.score)}
        </strong>
        {hasOverlays && (
          <div className="segmented" role="radiogroup" aria-label="Comparison layout">
            <label className={`check small${mode === 'side' ? ' on' : ''}`}>
              <input type="radio" name="compare-mode" checked={mode === 'side'} onChange={() => setMode('side')} />
              Side by side
            </label>
            <label className={`check small${mode === 'toggle' ? ' on' : ''}`}>
              <input type="radio" name="compare-mode" checked={mode === 'toggle'} onChange={() => setMode('toggle')} />
              Overlaid (toggle layers)
            </label>
          </div>
        )}
      </div>
      <ItemFacts item={item} predictions={predictions} />
      {!hasOverlays ? (
        <ImageViewer image={image} layers={[]} classes={classes} height={360} showMetadata={false} label="Prediction" />
      ) : mode === 'side' ? (
        <div className="side-by-side">
          <div>
            <h4>Ground truth</h4>
            <ImageViewer image={image} layers={layers.truth} classes={classes} height={280} showMetadata={false} label="Ground truth" />
          </div>
          <div>
            <h4>Prediction</h4>
            <ImageViewer image={image} layers={layers.predicted} classes={classes} height={280} showMetadata={false} label="Prediction" />
          </div>
        </div>
      ) : (
        <ImageViewer image={image} layers={[...layers.truth, ...layers.predicted]} classes={classes} height={420} showMetadata={false} label="Ground truth and prediction" />
      )}
    </aside>
  );
}

function ItemFacts({ item, predictions }: { item: PredictionItem; predictions: RunPredictions }) {
  const name = (id: number) => predictions.classNames[id] ?? `class ${id}`;
  if (item.classification) {
    const c = item.classification;
    const correct = isCorrect(item);
    const top = c.probabilities
      .map((p, i) => ({ p, i }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 5);
    return (
      <div className="item-facts">
        <p>
          True: <strong>{Array.isArray(c.trueLabel) ? c.trueLabel.map(name).join(', ') || 'none' : name(c.trueLabel)}</strong> · predicted: <strong className={correct ? 'ok' : 'error'}>{name(c.predicted)}</strong>
        </p>
        <table className="table compact-table">
          <tbody>
            {top.map(({ p, i }) => (
              <tr key={i}>
                <td>{name(i)}</td>
                <td className="num">{p.toFixed(3)}</td>
                <td className="prob-cell">
                  <span className="prob-bar" style={{ width: `${Math.round(p * 100)}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (item.segmentation) return <p className="item-facts" data-testid="item-overlap">Dice {formatMetric(item.segmentation.dice)} · IoU {formatMetric(item.segmentation.iou)}</p>;
  if (item.detection) {
    const d = item.detection;
    return (
      <div className="item-facts">
        <p data-testid="item-matches">
          Precision {formatMetric(d.precision)} · recall {formatMetric(d.recall)} · {d.matches.length} of {d.truth.length} boxes matched at IoU ≥ 0.5
        </p>
        {d.matches.length > 0 && (
          <details>
            <summary className="small">Matched boxes</summary>
            <table className="table compact-table">
              <thead>
                <tr>
                  <th>Class</th>
                  <th className="num">Score</th>
                  <th className="num">IoU</th>
                </tr>
              </thead>
              <tbody>
                {d.matches.map((m) => (
                  <tr key={`${m.predicted}-${m.truth}`}>
                    <td>{name(d.truth[m.truth]?.classId ?? -1)}</td>
                    <td className="num">{formatMetric(d.predicted[m.predicted]?.score)}</td>
                    <td className="num">{formatMetric(m.iou)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </div>
    );
  }
  return null;
}
