import { describe, expect, it } from 'vitest';
import { decode as decodePng } from 'fast-png';
import { unzipSync } from 'fflate';
import type { RunPredictions } from '../../../../shared/api/runs';
import { cocoPredictions, maskPredictionsZip } from '../../../../renderer/src/results/exportPredictions';

const base: Omit<RunPredictions, 'items' | 'kind'> = {
  runId: 'run-1',
  task: 't',
  split: 'val',
  checkpoint: 'best',
  checkpointStep: 6,
  splitImages: 1,
  inputSize: 64,
  sourceClassMap: null,
  backgroundClass: null,
  classNames: ['membrane', 'cell'],
  confusionMatrix: null,
  metrics: {},
};

describe('prediction export', () => {
  it('writes COCO boxes in stored-image pixels (the letterbox undone) at the threshold, with class names', () => {
    const p: RunPredictions = {
      ...base,
      kind: 'detection',
      items: [
        {
          imageId: 3,
          index: 0,
          imageDataUrl: '',
          score: 0,
          source: { fileName: 'a.jpg', width: 640, height: 480 },
          detection: { truth: [], predicted: [{ x: 16, y: 32, w: 8, h: 16, classId: 1, score: 0.8 }, { x: 0, y: 0, w: 4, h: 4, classId: 0, score: 0.2 }], matches: [], precision: 0, recall: 0 },
        },
      ],
    };
    const coco = cocoPredictions(p, 0.5);
    expect(coco.images).toEqual([{ id: 1, file_name: 'a.jpg', width: 640, height: 480 }]);
    expect(coco.categories).toEqual([{ id: 1, name: 'membrane' }, { id: 2, name: 'cell' }]);
    expect(coco.annotations).toEqual([{ id: 1, image_id: 1, category_id: 2, bbox: [160, 240, 80, 160], area: 12800, score: 0.8, iscrowd: 0 }]);
  });

  it('zips palette PNG masks at the stored size, named after the stored files', () => {
    const mask = Uint8Array.from({ length: 64 * 64 }, (_, i) => (i % 64 < 32 ? 0 : 1));
    const p: RunPredictions = {
      ...base,
      kind: 'segmentation',
      items: [
        {
          imageId: 1,
          index: 0,
          imageDataUrl: '',
          score: 0.5,
          source: { fileName: 'slice_07.tif', width: 128, height: 96 },
          segmentation: { dice: 0.5, iou: 0.3, truth: { width: 64, height: 64, base64: '' }, predicted: { width: 64, height: 64, base64: Buffer.from(mask).toString('base64') } },
        },
      ],
    };
    const files = unzipSync(maskPredictionsZip(p));
    expect(Object.keys(files).sort()).toEqual(['classes.json', 'masks/slice_07.png']);
    const png = decodePng(files['masks/slice_07.png']!);
    expect([png.width, png.height, png.channels]).toEqual([128, 96, 1]);
    expect(png.palette).toHaveLength(2);
    expect([png.data[0], png.data[127]]).toEqual([0, 1]);
    expect(JSON.parse(new TextDecoder().decode(files['classes.json'])).classes[0]).toMatchObject({ id: 0, name: 'membrane', background: false });
  });
});
