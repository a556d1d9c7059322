/**
 * COCO files are read streaming: the three arrays in any order, fields beyond those used skipped,
 * hostile shapes (deep nesting, a huge string, a top-level array, broken JSON) refused with the problem.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { planCoco, findCocoFiles } from '../../../main/importers/planners/cocoPlanner';
import { tempDir, writeFile, writePng } from './generatedFixtures';

const { dir: base, cleanup } = tempDir('umedpt-coco-stream-');
afterAll(cleanup);
let n = 0;
const fresh = () => path.join(base, `case-${++n}`);

function cocoRoot(json: string): string {
  const root = fresh();
  writePng(path.join(root, 'images', 'a.png'), { seed: 1 });
  writePng(path.join(root, 'images', 'b.png'), { seed: 2 });
  writeFile(path.join(root, 'annotations.json'), json);
  return root;
}

describe('COCO read streaming', () => {
  it('takes annotations before images and categories last, keeping each image its boxes in file order', async () => {
    const root = cocoRoot(
      JSON.stringify({
        info: { description: 'x', nested: { deep: [1, 2, { a: 'b' }] } },
        annotations: [
          { id: 1, image_id: 2, category_id: 7, bbox: [1, 2, 3, 4], segmentation: [[1, 2, 3, 4, 5, 6]], area: 12, iscrowd: 0 },
          { id: 2, image_id: 1, category_id: 8, bbox: [5, 6, 7, 8] },
          { id: 3, image_id: 2, category_id: 8, bbox: [0, 0, 2, 2] },
          { id: 4, image_id: 2, category_id: 7, bbox: [0, 0, 2] },
          { id: 5, image_id: 2, category_id: 7, bbox: [0, 0, [2], 2] },
        ],
        images: [
          { id: 1, file_name: 'a.png', width: 16, height: 12, license: 3 },
          { id: 2, file_name: 'b.png', width: 16, height: 12 },
        ],
        licenses: [{ id: 3, name: 'cc' }],
        categories: [
          { id: 8, name: 'nucleus', supercategory: 'cell' },
          { id: 7, name: 'mitosis' },
        ],
      }),
    );
    const plan = await planCoco(root);
    expect(plan.classes).toEqual(['nucleus', 'mitosis']);
    const [a, b] = plan.items;
    expect(a!.key).toBe('images/a.png');
    expect(a!.boxes).toEqual([{ className: 'nucleus', x: 5, y: 6, w: 7, h: 8 }]);
    expect(b!.boxes).toEqual([
      { className: 'mitosis', x: 1, y: 2, w: 3, h: 4 },
      { className: 'nucleus', x: 0, y: 0, w: 2, h: 2 },
    ]);
    expect(b!.warnings).toEqual(['annotations.json annotation 4: bbox must be [x, y, w, h] numbers, annotation dropped', 'annotations.json annotation 5: bbox must be [x, y, w, h] numbers, annotation dropped']);
    expect(plan.skipped).toEqual([]);
  });

  it('refuses JSON nested deeper than 64 levels, broken JSON and a large JSON without the arrays, naming the file and the problem', async () => {
    const deep = cocoRoot(`{"images":[],"categories":[],"info":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await expect(planCoco(deep)).rejects.toThrow(/^annotations\.json: nested deeper than 64 levels$/);
    // detected by its first key, refused by the planner: a large file is never parsed whole
    const broken = cocoRoot(`{"images":[{"id":1,"file_name":"a.png"}],"categories":[{"id":1,"name":"x"}],"annotations":[{"id":1,,}]}`);
    // small: parsed whole at detection, so it is no COCO file at all
    await expect(planCoco(broken)).rejects.toThrow(/no COCO annotation JSON/);
    const large = fresh();
    writeFile(path.join(large, 'big.json'), `{"info": "${'x'.repeat(9 << 20)}", "images": [}`);
    expect(findCocoFiles(path.join(large, 'big.json'))).toHaveLength(1);
    await expect(planCoco(path.join(large, 'big.json'))).rejects.toThrow(/^big\.json: not valid JSON \(expected /);
    const notCoco = fresh();
    writeFile(path.join(notCoco, 'big.json'), `{"info": "${'x'.repeat(9 << 20)}", "other": []}`);
    await expect(planCoco(path.join(notCoco, 'big.json'))).rejects.toThrow(/^big\.json: not a COCO annotation file \(it needs "images" and "categories" arrays\)$/);
  });

  it('drops a file_name longer than 4096 characters without holding it, and names the image', async () => {
    const root = cocoRoot(`{"images":[{"id":1,"file_name":"${'a'.repeat(5 << 20)}"},{"id":2,"file_name":"b.png"}],"categories":[{"id":1,"name":"x"}],"annotations":[]}`);
    const plan = await planCoco(root);
    expect(plan.skipped).toEqual([{ path: 'annotations.json image 1', reason: 'file_name is longer than 4096 characters' }]);
    expect(plan.items.map((i) => i.key)).toEqual(['images/b.png']);
  });

  it('refuses a file_name that leads out of the root through a symbolic link', async () => {
    const outside = fresh();
    writePng(path.join(outside, 'secret.png'));
    const root = cocoRoot(JSON.stringify({ images: [{ id: 1, file_name: 'link/secret.png' }], categories: [{ id: 1, name: 'x' }], annotations: [] }));
    symlinkSync(outside, path.join(root, 'link'));
    const plan = await planCoco(root);
    expect(plan.items).toEqual([]);
    expect(plan.skipped[0]!.reason).toMatch(/through a symbolic link/);
  });

  it('keeps detection exact for small files: a JSON object without images and categories is not COCO', () => {
    const root = fresh();
    writeFile(path.join(root, 'plain.json'), '{"images": []}');
    expect(findCocoFiles(root)).toEqual([]);
  });
});
