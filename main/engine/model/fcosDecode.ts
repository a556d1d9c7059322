/**
 * FCOS decoding (pure): score = sqrt(sigmoid(class) * sigmoid(centerness)),
 * score threshold, pre-NMS top-k, boxes from the location and l/t/r/b clipped
 * to the image, per-class greedy NMS, at most `maxDetections` per image.
 */
import type { PixelBox } from '../data/taskSample';
import { levelLocations } from './fcosTargets';
import type { DetectionLevel } from './detectionDecoder';

export interface DetectedBox extends PixelBox {
  score: number;
}

export interface DecodeOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  preNmsTopK?: number;
  maxDetections?: number;
}

export const defaultDecodeOptions: Required<DecodeOptions> = { scoreThreshold: 0.05, iouThreshold: 0.6, preNmsTopK: 1000, maxDetections: 100 };

export function boxIou(a: PixelBox, b: PixelBox): number {
  const iw = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const ih = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = iw * ih;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** greedy NMS within each class; input in any order, output by score */
export function nonMaxSuppression(boxes: DetectedBox[], iouThreshold: number): DetectedBox[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: DetectedBox[] = [];
  for (const box of sorted) {
    if (kept.every((k) => k.classId !== box.classId || boxIou(k, box) <= iouThreshold)) kept.push(box);
  }
  return kept;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * One image's raw outputs: classLogits [N * C], boxDistances [N * 4] (pixels),
 * centernessLogits [N], locations ordered as in the model.
 */
export function decodeFcos(
  raw: { classLogits: ArrayLike<number>; boxDistances: ArrayLike<number>; centernessLogits: ArrayLike<number> },
  levels: DetectionLevel[],
  numClasses: number,
  imageSize: number,
  options: DecodeOptions = {},
): DetectedBox[] {
  const o = { ...defaultDecodeOptions, ...options };
  const locations = levels.flatMap(levelLocations);
  const candidates: DetectedBox[] = [];
  locations.forEach((p, n) => {
    const ctr = sigmoid(raw.centernessLogits[n]!);
    for (let c = 0; c < numClasses; c++) {
      const score = Math.sqrt(sigmoid(raw.classLogits[n * numClasses + c]!) * ctr);
      if (score <= o.scoreThreshold) continue;
      const x1 = Math.max(0, p.x - raw.boxDistances[n * 4]!);
      const y1 = Math.max(0, p.y - raw.boxDistances[n * 4 + 1]!);
      const x2 = Math.min(imageSize, p.x + raw.boxDistances[n * 4 + 2]!);
      const y2 = Math.min(imageSize, p.y + raw.boxDistances[n * 4 + 3]!);
      if (x2 <= x1 || y2 <= y1) continue;
      candidates.push({ x: x1, y: y1, w: x2 - x1, h: y2 - y1, classId: c, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score);
  return nonMaxSuppression(candidates.slice(0, o.preNmsTopK), o.iouThreshold).slice(0, o.maxDetections);
}
