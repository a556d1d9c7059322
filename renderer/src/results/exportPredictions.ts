/**
 * A split's predictions as files a researcher can take elsewhere, made from
 * what the Results page already holds: detection boxes as COCO JSON (results
 * format, boxes in stored-image pixels, at the chosen score threshold), and
 * segmentation masks as palette PNGs at the stored image's resolution (pixel
 * value = task class id, PLTE = the viewer's class colours) in one zip with
 * classes.json.
 */
import { encode as encodePng } from 'fast-png';
import { zipSync } from 'fflate';
import type { RunPredictions } from '../../../shared/api/runs';
import { classColour } from '../viewer/maskColouring';
import { base64ToBytes } from '../../../shared/base64Bytes';
import { boxesToImage, predictedMaskToImage } from './overlayMapping';

function storedName(item: RunPredictions['items'][number]): string {
  return item.source?.fileName ?? `image-${item.index + 1}`;
}

export interface CocoExport {
  info: { description: string };
  images: Array<{ id: number; file_name: string; width: number; height: number }>;
  categories: Array<{ id: number; name: string }>;
  annotations: Array<{ id: number; image_id: number; category_id: number; bbox: [number, number, number, number]; area: number; score: number; iscrowd: 0 }>;
}

export function cocoPredictions(p: RunPredictions, threshold: number): CocoExport {
  const images: CocoExport['images'] = [];
  const annotations: CocoExport['annotations'] = [];
  p.items.forEach((item, i) => {
    if (!item.detection) return;
    const width = item.source?.width ?? p.inputSize;
    const height = item.source?.height ?? p.inputSize;
    images.push({ id: i + 1, file_name: storedName(item), width, height });
    for (const b of boxesToImage(item.detection.predicted.filter((x) => x.score >= threshold), p.inputSize, width, height)) {
      const bbox: [number, number, number, number] = [b.x, b.y, b.w, b.h].map((v) => Math.round(v * 100) / 100) as [number, number, number, number];
      annotations.push({ id: annotations.length + 1, image_id: i + 1, category_id: b.classId + 1, bbox, area: bbox[2] * bbox[3], score: Math.round(b.score * 1e4) / 1e4, iscrowd: 0 });
    }
  });
  return {
    info: { description: `UMedPT Studio predictions: run ${p.runId}, task ${p.task}, ${p.split} split, ${p.checkpoint} checkpoint (step ${p.checkpointStep}), score >= ${threshold}` },
    images,
    categories: p.classNames.map((name, k) => ({ id: k + 1, name })),
    annotations,
  };
}

/** zip bytes: one palette PNG per image at its stored size, and classes.json (id -> name, colour, background). */
export function maskPredictionsZip(p: RunPredictions): Uint8Array {
  const palette = p.classNames.map((_, k) => [...classColour(k)] as [number, number, number]);
  const files: Record<string, Uint8Array> = {};
  const used = new Set<string>();
  for (const item of p.items) {
    const seg = item.segmentation;
    if (!seg) continue;
    const mask = predictedMaskToImage({ width: seg.predicted.width, height: seg.predicted.height, data: base64ToBytes(seg.predicted.base64) }, item.source?.width ?? seg.predicted.width, item.source?.height ?? seg.predicted.height);
    let name = storedName(item).replace(/\.[^.]+$/, '') + '.png';
    while (used.has(name)) name = name.replace(/\.png$/, '_.png');
    used.add(name);
    files[`masks/${name}`] = encodePng({ width: mask.width, height: mask.height, data: mask.data, depth: 8, channels: 1, palette });
  }
  const classes = p.classNames.map((name, id) => ({ id, name, colour: palette[id], background: id === p.backgroundClass }));
  files['classes.json'] = new TextEncoder().encode(JSON.stringify({ run: p.runId, task: p.task, split: p.split, checkpoint: p.checkpoint, step: p.checkpointStep, classes }, null, 2));
  return zipSync(files);
}
