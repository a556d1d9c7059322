/**
 * Matching predicted boxes to true boxes the way mAP@0.5 counts them: by
 * descending score, each true box at most once, same class, IoU >= 0.5.
 * Used by the results viewer's TP/FP/FN counts at a score threshold and by
 * the per-image scores of runs/predictions.
 */

export interface MatchableBox {
  x: number;
  y: number;
  w: number;
  h: number;
  classId: number;
}

export const matchIou = 0.5;

export function boxIouOf(a: MatchableBox, b: MatchableBox): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export interface BoxMatch {
  predicted: number;
  truth: number;
  iou: number;
}

/** Greedy matching; `predicted` indices refer to the array as given (it is visited by descending score). */
export function matchBoxesByScore(predicted: ReadonlyArray<MatchableBox & { score?: number }>, truth: readonly MatchableBox[]): BoxMatch[] {
  const order = predicted.map((_, i) => i).sort((a, b) => (predicted[b]!.score ?? 0) - (predicted[a]!.score ?? 0) || a - b);
  const used = new Set<number>();
  const matches: BoxMatch[] = [];
  for (const pi of order) {
    const p = predicted[pi]!;
    let best = -1;
    let bestIou = matchIou;
    truth.forEach((t, ti) => {
      if (used.has(ti) || t.classId !== p.classId) return;
      const iou = boxIouOf(p, t);
      if (iou >= bestIou) {
        best = ti;
        bestIou = iou;
      }
    });
    if (best >= 0) {
      used.add(best);
      matches.push({ predicted: pi, truth: best, iou: bestIou });
    }
  }
  return matches;
}

export interface DetectionCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** TP / FP / FN over images at a score threshold. */
export function countsAtThreshold(images: ReadonlyArray<{ predicted: ReadonlyArray<MatchableBox & { score: number }>; truth: readonly MatchableBox[] }>, threshold: number): DetectionCounts {
  const counts = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  for (const image of images) {
    const kept = image.predicted.filter((b) => b.score >= threshold);
    const tp = matchBoxesByScore(kept, image.truth).length;
    counts.truePositives += tp;
    counts.falsePositives += kept.length - tp;
    counts.falseNegatives += image.truth.length - tp;
  }
  return counts;
}

export function f1Of(c: DetectionCounts): number {
  const denominator = 2 * c.truePositives + c.falsePositives + c.falseNegatives;
  return denominator > 0 ? (2 * c.truePositives) / denominator : 0;
}

/** Thresholds the viewer's slider offers and the F1 search tries. */
export const thresholdGrid: readonly number[] = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);

/** The grid threshold with the highest F1 over the images (ties: the higher threshold, fewer boxes). */
export function f1OptimalThreshold(images: ReadonlyArray<{ predicted: ReadonlyArray<MatchableBox & { score: number }>; truth: readonly MatchableBox[] }>): { threshold: number; f1: number } {
  let best = { threshold: 0.5, f1: -1 };
  for (const threshold of [...thresholdGrid].reverse()) {
    const f1 = f1Of(countsAtThreshold(images, threshold));
    if (f1 > best.f1) best = { threshold, f1 };
  }
  return best;
}
