import type { CatalogConnection as Catalog } from './catalogConnection';
import { datasetClasses } from './datasetQueries';
import type { ClassCount, DatasetStatistics, SplitCounts, SplitName } from '../../shared/api/catalog';

const emptySplits = (): SplitCounts => ({ train: 0, val: 0, test: 0 });

/** Counts per class and split, groups, and the image size histogram, all from indexes (no pixels). */
export function datasetStatistics(catalog: Catalog, datasetId: number): DatasetStatistics | null {
  if (!catalog.statement('SELECT 1 FROM datasets WHERE id = ?').get(datasetId)) return null;
  const classCounts = new Map<number, ClassCount>(
    datasetClasses(catalog, datasetId).map((c) => [c.index, { classId: c.index, name: c.name, images: emptySplits(), boxes: emptySplits() }]),
  );
  const countFor = (classId: number): ClassCount => {
    let entry = classCounts.get(classId);
    if (!entry) {
      entry = { classId, name: String(classId), images: emptySplits(), boxes: emptySplits() };
      classCounts.set(classId, entry);
    }
    return entry;
  };
  type Row = { class_idx: number; split: SplitName; images: number; boxes: number };
  const imageClassRows = catalog
    .statement(
      `SELECT class_idx, split, COUNT(DISTINCT image_id) AS images, 0 AS boxes FROM (
         SELECT l.image_id, l.class_idx FROM image_labels l WHERE l.dataset_id = @d
         UNION SELECT b.image_id, b.class_idx FROM boxes b WHERE b.dataset_id = @d
         UNION SELECT m.image_id, m.class_idx FROM mask_classes m WHERE m.dataset_id = @d
       ) c JOIN images i ON i.id = c.image_id GROUP BY class_idx, split`,
    )
    .all({ d: datasetId }) as Row[];
  for (const r of imageClassRows) countFor(r.class_idx).images[r.split] = r.images;
  const boxRows = catalog
    .statement('SELECT b.class_idx, i.split, COUNT(*) AS boxes, 0 AS images FROM boxes b JOIN images i ON i.id = b.image_id WHERE b.dataset_id = ? GROUP BY b.class_idx, i.split')
    .all(datasetId) as Row[];
  for (const r of boxRows) countFor(r.class_idx).boxes[r.split] = r.boxes;

  const splitCounts = emptySplits();
  for (const r of catalog.statement('SELECT split, COUNT(*) AS n FROM images WHERE dataset_id = ? GROUP BY split').all(datasetId) as Array<{ split: SplitName; n: number }>) {
    splitCounts[r.split] = r.n;
  }
  const groupCount = (catalog.statement('SELECT COUNT(DISTINCT group_key) AS n FROM images WHERE dataset_id = ? AND group_key IS NOT NULL').get(datasetId) as { n: number }).n;
  const sizeHistogram = catalog
    .statement('SELECT width, height, COUNT(*) AS count FROM images WHERE dataset_id = ? GROUP BY width, height ORDER BY count DESC, width, height LIMIT 100')
    .all(datasetId) as DatasetStatistics['sizeHistogram'];
  const options = catalog.statement('SELECT options FROM datasets WHERE id = ?').get(datasetId) as { options: string };
  let instances: SplitCounts | null = null;
  if ((JSON.parse(options.options) as { maskValues?: unknown }).maskValues === 'instances') {
    instances = emptySplits();
    for (const r of boxRows) instances[r.split] += r.boxes;
  }
  return {
    datasetId,
    imageCount: splitCounts.train + splitCounts.val + splitCounts.test,
    splitCounts,
    groupCount,
    classCounts: [...classCounts.values()].sort((a, b) => a.classId - b.classId),
    ...(instances ? { instances } : {}),
    sizeHistogram,
  };
}
