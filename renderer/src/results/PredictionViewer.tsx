import { useEffect, useMemo, useState } from 'react';
import type { PredictionItem, RunPredictions } from '../../../shared/api/runs';
import { matchBoxesByScore } from '../../../shared/boxMatching';
import { useClient, useQuery } from '../client/clientContext';
import { formatMetric } from '../lib/format';
import { ImageViewer, type ViewerImage, type ViewerLayer } from '../viewer/ImageViewer';
import { base64ToBytes } from '../../../shared/base64Bytes';
import { windowParams } from '../viewer/windowLevel';
import { boxesToImage, errorColours, errorOverlay, predictedMaskToImage, remapClassIds, type ClassIdPixels } from './overlayMapping';
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

/** A stored mask PNG (class id in the red channel) read into class ids, at its full resolution. */
function useMaskPixels(url: string | null): ClassIdPixels | null {
  const [pixels, setPixels] = useState<ClassIdPixels | null>(null);
  useEffect(() => {
    setPixels(null);
    if (!url) return;
    let live = true;
    const img = new Image();
    img.onload = () => {
      if (!live) return;
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      ctx.drawImage(img, 0, 0);
      const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const data = new Uint8Array(canvas.width * canvas.height);
      for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4]!;
      setPixels({ width: canvas.width, height: canvas.height, data });
    };
    img.src = url;
    return () => {
      live = false;
    };
  }, [url]);
  return pixels;
}

function rgbaDataUrl(width: number, height: number, rgba: Uint8ClampedArray): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const image = ctx.createImageData(width, height);
  image.data.set(rgba);
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}

/**
 * One prediction next to its ground truth, over the stored image at its own
 * resolution and aspect ratio (catalog images; synthetic ones are shown at
 * the model input): side by side, or overlaid with an error view
 * (segmentation) or a score threshold (detection).
 */
export function PredictionViewer({ item, predictions, threshold }: { item: PredictionItem; predictions: RunPredictions; threshold: number }) {
  const client = useClient();
  const [mode, setMode] = useState<'side' | 'toggle'>(item.segmentation ? 'toggle' : 'side');
  const [errorClass, setErrorClass] = useState<number | null>(null);
  const seg = item.segmentation;
  const stored = useQuery('catalog/getImage', item.imageId !== null ? { imageId: item.imageId } : null);
  const d = stored.data;
  const modelInputSize = useImageSize(item.imageDataUrl, seg ? { width: seg.truth.width, height: seg.truth.height } : null);
  const classes = useMemo(() => predictions.classNames.map((name, index) => ({ index, name })), [predictions.classNames]);
  const storedMask = useMaskPixels(seg && d?.mask ? client.mediaUrl(`mask/${d.id}`) : null);

  const image = useMemo<ViewerImage | null>(() => {
    if (d) {
      return {
        width: d.width,
        height: d.height,
        bitDepth: d.bitDepth,
        modality: d.modality,
        metadata: d.metadata,
        src: (w) => client.mediaUrl(`preview/${d.id}?maxSide=2048&v=${d.sha256.slice(0, 16)}${windowParams(w)}`),
      };
    }
    if (item.imageId !== null && !stored.error) return null; // the stored image is still loading
    return modelInputSize ? { width: modelInputSize.width, height: modelInputSize.height, bitDepth: 8, modality: null, metadata: {}, src: () => item.imageDataUrl } : null;
  }, [d, client, item.imageId, item.imageDataUrl, stored.error, modelInputSize]);

  const truthPixels = useMemo<ClassIdPixels | null>(() => {
    if (!seg) return null;
    if (storedMask) return remapClassIds(storedMask, predictions.sourceClassMap);
    return { width: seg.truth.width, height: seg.truth.height, data: base64ToBytes(seg.truth.base64) };
  }, [seg, storedMask, predictions.sourceClassMap]);
  const predictedAtInput = useMemo<ClassIdPixels | null>(() => (seg ? { width: seg.predicted.width, height: seg.predicted.height, data: base64ToBytes(seg.predicted.base64) } : null), [seg]);
  // mapped onto the stored image by the letterbox's inverse (the engine's resize undone)
  const predictedPixels = useMemo<ClassIdPixels | null>(() => (predictedAtInput && image ? predictedMaskToImage(predictedAtInput, image.width, image.height) : predictedAtInput), [predictedAtInput, image]);
  const errors = useMemo(() => (truthPixels && predictedAtInput ? errorOverlay(predictedAtInput, truthPixels, errorClass, predictions.backgroundClass) : null), [truthPixels, predictedAtInput, errorClass, predictions.backgroundClass]);
  const errorUrl = useMemo(() => (errors ? rgbaDataUrl(errors.width, errors.height, errors.rgba) : null), [errors]);

  const detection = useMemo(() => {
    const det = item.detection;
    if (!det) return null;
    const size = image ?? { width: predictions.inputSize, height: predictions.inputSize };
    const kept = det.predicted.filter((b) => b.score >= threshold);
    const matched = matchBoxesByScore(kept, det.truth).length;
    return {
      truth: boxesToImage(det.truth, predictions.inputSize, size.width, size.height),
      predicted: boxesToImage(kept, predictions.inputSize, size.width, size.height),
      truePositives: matched,
      falsePositives: kept.length - matched,
      falseNegatives: det.truth.length - matched,
    };
  }, [item.detection, image, predictions.inputSize, threshold]);

  const layers = useMemo(() => {
    const truth: ViewerLayer[] = [];
    const predicted: ViewerLayer[] = [];
    const overlaid: ViewerLayer[] = [];
    if (truthPixels && predictedPixels) {
      truth.push({ id: 'truth-mask', label: 'Ground truth', kind: 'mask', pixels: truthPixels });
      predicted.push({ id: 'predicted-mask', label: 'Prediction', kind: 'mask', pixels: predictedPixels });
      if (errorUrl) overlaid.push({ id: 'errors', label: 'Errors: hit / false alarm / missed', kind: 'image', url: errorUrl });
    }
    if (detection) {
      truth.push({ id: 'truth-boxes', label: `Ground truth boxes (${detection.truth.length}, solid)`, kind: 'boxes', boxes: detection.truth });
      predicted.push({ id: 'predicted-boxes', label: `Predicted boxes at score ≥ ${threshold.toFixed(2)} (${detection.predicted.length}, dashed)`, kind: 'boxes', boxes: detection.predicted, dashed: true });
    }
    return { truth, predicted, overlaid: overlaid.length ? [...overlaid] : [...truth, ...predicted] };
  }, [truthPixels, predictedPixels, errorUrl, detection, threshold]);

  if (!image) return <div className="panel">{stored.error ? `The stored image could not be read: ${stored.error}` : 'Loading the image at full resolution…'}</div>;
  const hasOverlays = layers.truth.length + layers.predicted.length > 0;
  const title = d ? (d.sourcePath.split(/[\\/]/).pop() ?? d.sourcePath) : `Image ${item.index + 1} of the split (synthetic)`;

  return (
    <aside className="panel prediction-viewer" aria-label="Selected prediction">
      <div className="row spread">
        <strong className="ellipsis" title={d?.sourcePath}>
          {title}
        </strong>
        {hasOverlays && (
          <div className="segmented" role="radiogroup" aria-label="Comparison layout">
            <label className={`check small${mode === 'side' ? ' on' : ''}`}>
              <input type="radio" name="compare-mode" checked={mode === 'side'} onChange={() => setMode('side')} />
              Side by side
            </label>
            <label className={`check small${mode === 'toggle' ? ' on' : ''}`}>
              <input type="radio" name="compare-mode" checked={mode === 'toggle'} onChange={() => setMode('toggle')} />
              {seg ? 'Error view' : 'Overlaid (toggle layers)'}
            </label>
          </div>
        )}
      </div>
      <p className="muted small">
        {d ? `Stored image, ${d.width} × ${d.height}; the model saw it letterboxed into ${predictions.inputSize} × ${predictions.inputSize} (aspect ratio kept, padded), and its output is mapped back.` : `Model input, ${predictions.inputSize} × ${predictions.inputSize}.`}
      </p>
      <ItemFacts item={item} predictions={predictions} threshold={threshold} />
      {detection && (
        <p className="small" data-testid="detection-counts">
          This image, at score ≥ {threshold.toFixed(2)}: <strong>{detection.truePositives}</strong> found (TP) · <strong>{detection.falsePositives}</strong> false alarms (FP) · <strong>{detection.falseNegatives}</strong> missed (FN)
        </p>
      )}
      {seg && errors && mode === 'toggle' && (
        <div className="row tight small" data-testid="error-view-legend">
          <label htmlFor="error-class">Errors of</label>
          <select id="error-class" className="compact" value={errorClass ?? ''} onChange={(e) => setErrorClass(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">every scored class</option>
            {classes
              .filter((c) => c.index !== predictions.backgroundClass)
              .map((c) => (
                <option key={c.index} value={c.index}>
                  {c.name}
                </option>
              ))}
          </select>
          <LegendSwatch colour={errorColours.truePositive} text={`hit (TP) ${errors.truePositives.toLocaleString('en-US')} px`} />
          <LegendSwatch colour={errorColours.falsePositive} text={`false alarm (FP) ${errors.falsePositives.toLocaleString('en-US')} px`} />
          <LegendSwatch colour={errorColours.falseNegative} text={`missed (FN) ${errors.falseNegatives.toLocaleString('en-US')} px`} />
        </div>
      )}
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
        <ImageViewer image={image} layers={layers.overlaid} classes={classes} height={420} showMetadata={false} label={seg ? 'Error view' : 'Ground truth and prediction'} />
      )}
    </aside>
  );
}

function LegendSwatch({ colour, text }: { colour: readonly number[]; text: string }) {
  return (
    <span>
      <span className="swatch" style={{ background: `rgb(${colour.join(', ')})` }} aria-hidden="true" />
      {text}
    </span>
  );
}

function ItemFacts({ item, predictions, threshold }: { item: PredictionItem; predictions: RunPredictions; threshold: number }) {
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
  if (item.segmentation) return <p className="item-facts" data-testid="item-overlap">This image, over its scored classes: Dice {formatMetric(item.segmentation.dice)} · IoU {formatMetric(item.segmentation.iou)}</p>;
  if (item.detection) {
    const d = item.detection;
    // at the page's threshold, as the counts above: one set of numbers for this image
    const kept = d.predicted.filter((box) => box.score >= threshold);
    const matches = matchBoxesByScore(kept, d.truth);
    return (
      <div className="item-facts">
        {matches.length > 0 && (
          <details>
            <summary className="small">
              Matched boxes at score ≥ {threshold.toFixed(2)} (IoU ≥ 0.5, same class)
            </summary>
            <table className="table compact-table">
              <thead>
                <tr>
                  <th>Class</th>
                  <th className="num">Score</th>
                  <th className="num">IoU</th>
                </tr>
              </thead>
              <tbody>
                {matches.map((m) => (
                  <tr key={`${m.predicted}-${m.truth}`}>
                    <td>{name(d.truth[m.truth]?.classId ?? -1)}</td>
                    <td className="num">{formatMetric(kept[m.predicted]?.score)}</td>
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
