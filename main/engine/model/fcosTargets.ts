/**
 * FCOS target assignment (pure): every feature location of every level gets
 * either background or one box. A location is positive for a box when it lies
 * inside the box, within `centerRadius` strides of the box centre (centre
 * sampling), and the box's largest distance l/t/r/b falls in the level's
 * scale range; among several candidates the smallest box wins.
 */
import type { PixelBox } from '../data/taskSample';
import type { DetectionLevel } from './detectionDecoder';

export const defaultCenterRadius = 1.5;

export interface FcosTargets {
  /** [N] class id, -1 = background */
  labels: Int32Array;
  /** [N * 4] l, t, r, b in pixels (1 for background, so losses stay finite) */
  distances: Float32Array;
  /** [N] centerness target in [0, 1] (0 for background) */
  centerness: Float32Array;
  numPositive: number;
}

/** centre pixel coordinates of a level's cells, row-major */
export function levelLocations(level: DetectionLevel): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  const half = Math.floor(level.stride / 2);
  for (let i = 0; i < level.size; i++) for (let j = 0; j < level.size; j++) out.push({ x: j * level.stride + half, y: i * level.stride + half });
  return out;
}

/** (lower, upper] bound on max(l, t, r, b) for each level: (4s, 8s], open at both ends */
export function scaleRanges(levels: DetectionLevel[]): Array<[number, number]> {
  return levels.map((level, k) => [k === 0 ? -1 : level.stride * 4, k === levels.length - 1 ? Infinity : level.stride * 8]);
}

export function totalLocations(levels: DetectionLevel[]): number {
  return levels.reduce((n, l) => n + l.size * l.size, 0);
}

export function assignFcosTargets(boxes: PixelBox[], levels: DetectionLevel[], centerRadius = defaultCenterRadius): FcosTargets {
  const N = totalLocations(levels);
  const labels = new Int32Array(N).fill(-1);
  const distances = new Float32Array(N * 4).fill(1);
  const centerness = new Float32Array(N);
  const ranges = scaleRanges(levels);
  let numPositive = 0;
  let offset = 0;
  levels.forEach((level, k) => {
    const [lower, upper] = ranges[k]!;
    const radius = centerRadius * level.stride;
    levelLocations(level).forEach((p, idx) => {
      let best = -1;
      let bestArea = Infinity;
      boxes.forEach((box, b) => {
        const l = p.x - box.x;
        const t = p.y - box.y;
        const r = box.x + box.w - p.x;
        const bt = box.y + box.h - p.y;
        if (Math.min(l, t, r, bt) <= 0) return;
        const cx = box.x + box.w / 2;
        const cy = box.y + box.h / 2;
        if (Math.abs(p.x - cx) >= radius || Math.abs(p.y - cy) >= radius) return;
        const m = Math.max(l, t, r, bt);
        if (m <= lower || m > upper) return;
        const area = box.w * box.h;
        if (area < bestArea) {
          bestArea = area;
          best = b;
        }
      });
      if (best < 0) return;
      const box = boxes[best]!;
      const n = offset + idx;
      const l = p.x - box.x;
      const t = p.y - box.y;
      const r = box.x + box.w - p.x;
      const b = box.y + box.h - p.y;
      labels[n] = box.classId;
      distances.set([l, t, r, b], n * 4);
      centerness[n] = Math.sqrt((Math.min(l, r) / Math.max(l, r)) * (Math.min(t, b) / Math.max(t, b)));
      numPositive += 1;
    });
    offset += level.size * level.size;
  });
  return { labels, distances, centerness, numPositive };
}
