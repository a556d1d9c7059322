import type { CatalogConnection as Catalog } from './catalogConnection';
import type { ClassInfo, DatasetDetail, DatasetKind, DatasetState, DatasetSummary, SplitCounts } from '../../shared/api/catalog';

interface DatasetRow {
  id: number;
  name: string;
  format: string;
  kind: DatasetKind;
  multi_label: number;
  source_path: string;
  state: DatasetState;
  publisher_split: number;
  options: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface NewDataset {
  name: string;
  format: string;
  kind: DatasetKind;
  multiLabel: boolean;
  sourcePath: string;
  publisherSplit: boolean;
  options: Record<string, unknown>;
  classes: string[];
}

function splitCountsOf(catalog: Catalog, datasetId: number): SplitCounts {
  const counts: SplitCounts = { train: 0, val: 0, test: 0 };
  const rows = catalog.statement('SELECT split, COUNT(*) AS n FROM images WHERE dataset_id = ? GROUP BY split').all(datasetId) as Array<{ split: keyof SplitCounts; n: number }>;
  for (const row of rows) counts[row.split] = row.n;
  return counts;
}

function toSummary(catalog: Catalog, row: DatasetRow): DatasetSummary {
  const splitCounts = splitCountsOf(catalog, row.id);
  const classCount = (catalog.statement('SELECT COUNT(*) AS n FROM classes WHERE dataset_id = ?').get(row.id) as { n: number }).n;
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    kind: row.kind,
    multiLabel: row.multi_label === 1,
    sourcePath: row.source_path,
    state: row.state,
    imageCount: splitCounts.train + splitCounts.val + splitCounts.test,
    classCount,
    splitCounts,
    publisherSplit: row.publisher_split === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

function datasetRow(catalog: Catalog, datasetId: number): DatasetRow | undefined {
  return catalog.statement('SELECT * FROM datasets WHERE id = ?').get(datasetId) as DatasetRow | undefined;
}

export function listDatasets(catalog: Catalog, includeDeleted: boolean): DatasetSummary[] {
  const rows = catalog.statement(`SELECT * FROM datasets ${includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY id`).all() as DatasetRow[];
  return rows.map((row) => toSummary(catalog, row));
}

export function datasetClasses(catalog: Catalog, datasetId: number): ClassInfo[] {
  return catalog.statement('SELECT idx AS "index", name FROM classes WHERE dataset_id = ? ORDER BY idx').all(datasetId) as ClassInfo[];
}

export function getDataset(catalog: Catalog, datasetId: number): DatasetDetail | null {
  const row = datasetRow(catalog, datasetId);
  if (!row) return null;
  return { ...toSummary(catalog, row), classes: datasetClasses(catalog, datasetId), options: JSON.parse(row.options) as Record<string, unknown> };
}

/** Soft delete: the rows and stored files stay until purged, so restore is exact. */
export function setDeleted(catalog: Catalog, datasetId: number, deleted: boolean): DatasetSummary | null {
  const now = new Date().toISOString();
  catalog.statement('UPDATE datasets SET deleted_at = ?, updated_at = ? WHERE id = ?').run(deleted ? now : null, now, datasetId);
  const row = datasetRow(catalog, datasetId);
  return row ? toSummary(catalog, row) : null;
}

export function createDataset(catalog: Catalog, dataset: NewDataset): number {
  const now = new Date().toISOString();
  return catalog.db.transaction(() => {
    const id = Number(
      catalog
        .statement('INSERT INTO datasets (name, format, kind, multi_label, source_path, state, publisher_split, options, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(dataset.name, dataset.format, dataset.kind, dataset.multiLabel ? 1 : 0, dataset.sourcePath, 'importing', dataset.publisherSplit ? 1 : 0, JSON.stringify(dataset.options), now, now).lastInsertRowid,
    );
    const insertClass = catalog.statement('INSERT INTO classes (dataset_id, idx, name) VALUES (?, ?, ?)');
    dataset.classes.forEach((name, idx) => insertClass.run(id, idx, name));
    return id;
  })();
}

export function setDatasetState(catalog: Catalog, datasetId: number, state: DatasetState): void {
  catalog.statement('UPDATE datasets SET state = ?, updated_at = ? WHERE id = ?').run(state, new Date().toISOString(), datasetId);
}

/** A dataset from the same source whose import did not finish (killed or cancelled): a new start resumes it. */
export function findResumableDataset(catalog: Catalog, sourcePath: string, format: string): number | null {
  const row = catalog
    .statement("SELECT id FROM datasets WHERE source_path = ? AND format = ? AND state != 'ready' AND deleted_at IS NULL ORDER BY id DESC LIMIT 1")
    .get(sourcePath, format) as { id: number } | undefined;
  return row?.id ?? null;
}

/** The newest finished dataset imported from this source (not in the bin): a second import of it is a decision, not an accident. */
export function findImportedDataset(catalog: Catalog, sourcePath: string): { id: number; name: string; format: string } | null {
  const row = catalog
    .statement("SELECT id, name, format FROM datasets WHERE source_path = ? AND state = 'ready' AND deleted_at IS NULL ORDER BY id DESC LIMIT 1")
    .get(sourcePath) as { id: number; name: string; format: string } | undefined;
  return row ?? null;
}

/** Removes a dataset that holds no image and no task refers to (an import that found nothing); true when removed. */
export function removeEmptyDataset(catalog: Catalog, datasetId: number): boolean {
  const result = catalog
    .statement('DELETE FROM datasets WHERE id = @d AND NOT EXISTS (SELECT 1 FROM images WHERE dataset_id = @d) AND NOT EXISTS (SELECT 1 FROM tasks WHERE dataset_id = @d)')
    .run({ d: datasetId });
  return result.changes > 0;
}
