import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticDatasetToFolder } from '../../../../main/engine/data/syntheticFolder';
import { DEFAULT_SYNTHETIC_TASKS, generateSyntheticSplit } from '../../../../main/engine/data/synthetic';
import { detectImportFormat } from '../../../../main/importers/detectImportFormat';
import { planImageFolder } from '../../../../main/importers/planners/imageFolderPlanner';
import { planPairedMasks } from '../../../../main/importers/planners/pairedMaskPlanner';
import { planCoco } from '../../../../main/importers/planners/cocoPlanner';

const root = mkdtempSync(path.join(tmpdir(), 'umedpt-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const options = { counts: { train: 6, val: 2, test: 2 }, seed: 3 };

describe('writeSyntheticDatasetToFolder', () => {
  it('writes the three tasks in layouts the catalog importers detect and plan', async () => {
    const written = await writeSyntheticDatasetToFolder(path.join(root, 'default'), options);
    expect(written.tasks.map((t) => t.format)).toEqual(['image-folder', 'paired-masks', 'coco']);
    expect(existsSync(path.join(written.root, 'README.txt'))).toBe(true);
    const [cls, seg, det] = written.tasks;

    expect(detectImportFormat(cls!.dir).format).toBe('image-folder');
    const clsPlan = planImageFolder(cls!.dir);
    expect(clsPlan.items).toHaveLength(10);
    expect(clsPlan.publisherSplit).toBe(true);
    expect(clsPlan.items.filter((i) => i.split === 'val')).toHaveLength(2);

    expect(detectImportFormat(seg!.dir).format).toBe('paired-masks');
    const segPlan = planPairedMasks(seg!.dir);
    expect(segPlan.items.filter((i) => i.mask && !i.skip)).toHaveLength(10);
    expect(segPlan.classes).toEqual(['background', 'round', 'elongated', 'spiky']);

    expect(detectImportFormat(det!.dir).format).toBe('coco');
    const detPlan = await planCoco(det!.dir);
    expect(detPlan.items.filter((i) => !i.skip)).toHaveLength(10);
    expect(detPlan.publisherSplit).toBe(true);
    expect(detPlan.classes).toEqual(['round', 'elongated', 'spiky']);
  });

  it('files hold exactly the generated pixels, labels, masks and boxes', async () => {
    const written = await writeSyntheticDatasetToFolder(path.join(root, 'check'), options);
    const [clsSpec, segSpec, detSpec] = DEFAULT_SYNTHETIC_TASKS;
    const [cls, seg, det] = written.tasks;

    const clsItems = generateSyntheticSplit(clsSpec!, 'train', options);
    clsItems.forEach((item, i) => {
      const file = path.join(cls!.dir, 'train', cls!.classNames[item.label!]!, `train-${String(i).padStart(4, '0')}.png`);
      const png = decode(readFileSync(file));
      expect(png.depth).toBe(8);
      expect(png.data[100]).toBe(Math.round(item.scene.grey[100]! * 255));
    });

    const segItems = generateSyntheticSplit(segSpec!, 'val', options);
    const mask = decode(readFileSync(path.join(seg!.dir, 'masks', 'val-0001.png')));
    expect(Array.from(mask.data)).toEqual(Array.from(segItems[1]!.mask!));

    const detItems = generateSyntheticSplit(detSpec!, 'test', options);
    const coco = JSON.parse(readFileSync(path.join(det!.dir, 'annotations', 'instances_test.json'), 'utf8'));
    const image = coco.images.find((im: { file_name: string }) => im.file_name === 'test-0000.png');
    const boxes = coco.annotations.filter((a: { image_id: number }) => a.image_id === image.id);
    expect(boxes.map((a: { bbox: number[]; category_id: number }) => [...a.bbox, a.category_id - 1])).toEqual(
      detItems[0]!.boxes!.map((b) => [b.x, b.y, b.w, b.h, b.classId]),
    );
  });

  it('writes 16-bit images on request', async () => {
    const written = await writeSyntheticDatasetToFolder(path.join(root, 'deep'), { ...options, bitDepth: 16, tasks: [DEFAULT_SYNTHETIC_TASKS[1]!] });
    const files = readdirSync(path.join(written.tasks[0]!.dir, 'images'));
    const png = decode(readFileSync(path.join(written.tasks[0]!.dir, 'images', files[0]!)));
    expect(png.depth).toBe(16);
    expect(Math.max(...png.data)).toBeGreaterThan(255);
  });
});
