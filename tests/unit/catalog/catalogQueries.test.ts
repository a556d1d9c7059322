import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../main/catalog/openCatalog';
import { createDataset } from '../../../main/catalog/datasetQueries';
import { writeImportedFile } from '../../../main/catalog/importWrites';
import { tempDir } from '../importers/generatedFixtures';
import { listImagesRequestSchema, type SplitName } from '../../../shared/api/catalog';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const splits: SplitName[] = ['train', 'val', 'test'];

/** 50 detection images: class = i % 3 box, group = i % 7, split = i % 3, sizes 32x32 or 64x48. */
function seeded(): { catalog: Catalog; datasetId: number } {
  const t = tempDir();
  const catalog = openCatalog(t.dir);
  cleanups.push(() => {
    catalog.close();
    t.cleanup();
  });
  const datasetId = createDataset(catalog, { name: 'demo', format: 'voc', kind: 'detection', multiLabel: false, sourcePath: '/src/demo', publisherSplit: true, options: {}, classes: ['a', 'b', 'c'] });
  for (let i = 0; i < 50; i++) {
    const sha = i.toString(16).padStart(64, '0');
    const [width, height] = i % 5 === 0 ? [64, 48] : [32, 32];
    writeImportedFile(catalog, {
      datasetId,
      sourcePath: `img/${i}.png`,
      file: { sha256: sha, size: 10, ext: '.png' },
      extraFiles: [],
      group: `g${i % 7}`,
      split: splits[i % 3]!,
      frames: [
        {
          frameIndex: 0,
          width,
          height,
          channels: 1,
          bitDepth: 8,
          photometric: 'MONOCHROME2',
          modality: null,
          metadata: { n: i },
          labels: [],
          boxes: [
            { classId: i % 3, x: 1, y: 2, w: 3, h: 4, clipped: false },
            ...(i % 10 === 0 ? [{ classId: 2, x: 0, y: 0, w: 1, h: 1, clipped: true }] : []),
          ],
        },
      ],
      detail: null,
    });
  }
  return { catalog, datasetId };
}

describe('catalog queries', () => {
  it('pages through images with a keyset cursor: every image once, in id order', () => {
    const { catalog, datasetId } = seeded();
    const seen: number[] = [];
    let after: number | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = catalog.listImages({ datasetId, limit: 7, ...(after !== undefined ? { after } : {}) });
      expect(page.total).toBe(50);
      seen.push(...page.items.map((i) => i.id));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    expect(seen).toHaveLength(50);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(50);
  });

  it('opens any position with an offset: the same items as the cursor walk, filters included', () => {
    const { catalog, datasetId } = seeded();
    const all = catalog.listImages({ datasetId, limit: 100 }).items.map((i) => i.id);
    const middle = catalog.listImages({ datasetId, offset: 21, limit: 7 });
    expect(middle.offset).toBe(21);
    expect(middle.total).toBe(50);
    expect(middle.items.map((i) => i.id)).toEqual(all.slice(21, 28));
    const tail = catalog.listImages({ datasetId, offset: 47, limit: 7 });
    expect(tail.items.map((i) => i.id)).toEqual(all.slice(47));
    expect(tail.nextCursor).toBeNull();
    expect(catalog.listImages({ datasetId, offset: 50, limit: 7 }).items).toEqual([]);
    const val = catalog.listImages({ datasetId, split: 'val', limit: 100 }).items.map((i) => i.id);
    expect(catalog.listImages({ datasetId, split: 'val', offset: 5, limit: 3 }).items.map((i) => i.id)).toEqual(val.slice(5, 8));
    const class2 = catalog.listImages({ datasetId, classId: 2, limit: 100 }).items.map((i) => i.id);
    expect(catalog.listImages({ datasetId, classId: 2, offset: 10, limit: 100 }).items.map((i) => i.id)).toEqual(class2.slice(10));
    // a cursor page says it has no position
    expect(catalog.listImages({ datasetId, after: all[3]!, limit: 2 }).offset).toBeNull();
  });

  it('rejects a request with both a cursor and an offset', () => {
    const parsed = listImagesRequestSchema.safeParse({ datasetId: 1, after: 5, offset: 10 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/either after .* or offset/);
    expect(listImagesRequestSchema.parse({ datasetId: 1, offset: 10 })).toEqual({ datasetId: 1, offset: 10, limit: 100 });
  });

  it('filters by split, class and group, with totals', () => {
    const { catalog, datasetId } = seeded();
    const val = catalog.listImages({ datasetId, split: 'val', limit: 100 });
    expect(val.total).toBe(17);
    expect(val.items.every((i) => i.split === 'val')).toBe(true);
    // class 2: i % 3 == 2 (16 images) plus the extra box on i % 10 == 0 where i % 3 != 2 (0, 10, 30, 40)
    expect(catalog.listImages({ datasetId, classId: 2, limit: 100 }).total).toBe(20);
    const g3 = catalog.listImages({ datasetId, group: 'g3', limit: 100 });
    expect(g3.items.map((i) => i.sourcePath)).toEqual(['img/3.png', 'img/10.png', 'img/17.png', 'img/24.png', 'img/31.png', 'img/38.png', 'img/45.png']);
    expect(catalog.listImages({ datasetId, group: 'g3', split: 'train', limit: 100 }).total).toBe(g3.items.filter((i) => i.split === 'train').length);
  });

  it('recounts totals after a write by another connection (the import worker)', () => {
    const { catalog, datasetId } = seeded();
    expect(catalog.listImages({ datasetId, split: 'train' }).total).toBe(17);
    const other = openCatalog(catalog.dataDir);
    writeImportedFile(other, {
      datasetId,
      sourcePath: 'img/new.png',
      file: { sha256: 'f'.repeat(64), size: 1, ext: '.png' },
      extraFiles: [],
      group: null,
      split: 'train',
      frames: [{ frameIndex: 0, width: 1, height: 1, channels: 1, bitDepth: 8, photometric: 'MONOCHROME2', modality: null, metadata: {}, labels: [], boxes: [] }],
      detail: null,
    });
    other.close();
    expect(catalog.listImages({ datasetId, split: 'train' }).total).toBe(18);
  });

  it('returns an image with its boxes and metadata', () => {
    const { catalog, datasetId } = seeded();
    const first = catalog.listImages({ datasetId, limit: 1 }).items[0]!;
    const detail = catalog.getImage(first.id)!;
    expect(detail.boxes).toEqual([
      { classId: 0, x: 1, y: 2, w: 3, h: 4, clipped: false },
      { classId: 2, x: 0, y: 0, w: 1, h: 1, clipped: true },
    ]);
    expect(detail.metadata).toEqual({ n: 0 });
    expect(detail.mask).toBeNull();
    expect(catalog.getImage(99999)).toBeNull();
  });

  it('computes counts per class and split, groups and the size histogram', () => {
    const { catalog, datasetId } = seeded();
    const stats = catalog.statistics(datasetId)!;
    expect(stats.imageCount).toBe(50);
    expect(stats.splitCounts).toEqual({ train: 17, val: 17, test: 16 });
    expect(stats.groupCount).toBe(7);
    expect(stats.sizeHistogram).toEqual([
      { width: 32, height: 32, count: 40 },
      { width: 64, height: 48, count: 10 },
    ]);
    const c2 = stats.classCounts.find((c) => c.classId === 2)!;
    expect(c2.name).toBe('c');
    expect(c2.images.train + c2.images.val + c2.images.test).toBe(20);
    expect(c2.boxes.train + c2.boxes.val + c2.boxes.test).toBe(16 + 5);
  });

  it('soft-deletes a dataset (hidden, restorable with all its images)', () => {
    const { catalog, datasetId } = seeded();
    const deleted = catalog.deleteDataset(datasetId)!;
    expect(deleted.deletedAt).not.toBeNull();
    expect(catalog.listDatasets()).toEqual([]);
    expect(catalog.listDatasets({ includeDeleted: true })).toHaveLength(1);
    const restored = catalog.restoreDataset(datasetId)!;
    expect(restored.deletedAt).toBeNull();
    expect(restored.imageCount).toBe(50);
    expect(catalog.listDatasets().map((d) => d.id)).toEqual([datasetId]);
  });
});
