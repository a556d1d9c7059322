import type { z } from 'zod';
import type { CatalogConnection as Catalog } from './catalogConnection';
import type { listImagesRequestSchema } from '../../shared/api/catalog';
import type { BoxAnnotation, ImageDetail, ImagePage, ImageSummary, MaskInfo, SplitName } from '../../shared/api/catalog';

export type ListImagesQuery = Omit<z.input<typeof listImagesRequestSchema>, 'limit'> & { limit?: number };

interface ImageRow {
  id: number;
  dataset_id: number;
  source_path: string;
  sha256: string;
  frame_index: number;
  width: number;
  height: number;
  channels: number;
  bit_depth: number;
  photometric: string;
  modality: string | null;
  group_key: string | null;
  split: SplitName;
  metadata: string;
}

const summaryColumns = 'id, dataset_id, source_path, sha256, frame_index, width, height, channels, bit_depth, photometric, modality, group_key, split';

function toSummary(row: ImageRow): ImageSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    sourcePath: row.source_path,
    sha256: row.sha256,
    frameIndex: row.frame_index,
    width: row.width,
    height: row.height,
    channels: row.channels,
    bitDepth: row.bit_depth,
    photometric: row.photometric,
    modality: row.modality,
    group: row.group_key,
    split: row.split,
  };
}

const classMembers = `SELECT image_id FROM image_labels WHERE dataset_id = @datasetId AND class_idx = @classId
  UNION SELECT image_id FROM boxes WHERE dataset_id = @datasetId AND class_idx = @classId
  UNION SELECT image_id FROM mask_classes WHERE dataset_id = @datasetId AND class_idx = @classId`;

/** Images matching the filters; with a class filter counted from the class indexes (no per-row probes). */
function countImages(catalog: Catalog, filter: string, params: Record<string, string | number>, byClass: boolean): number {
  const sql = byClass
    ? `SELECT COUNT(*) AS n FROM images WHERE ${filter} AND id IN (${classMembers})`
    : `SELECT COUNT(*) AS n FROM images WHERE ${filter}`;
  return (catalog.statement(sql).get(params) as { n: number }).n;
}

/**
 * Paging over images.id with indexed filters, by keyset cursor (`after`: cost
 * does not grow with the page number) or by position (`offset`). Totals are
 * cached per filter until the database changes (any commit, from this or
 * another connection), so paging does not recount.
 */
export function listImages(catalog: Catalog, query: ListImagesQuery): ImagePage {
  const where = ['dataset_id = @datasetId'];
  const params: Record<string, string | number> = { datasetId: query.datasetId };
  if (query.split) {
    where.push('split = @split');
    params.split = query.split;
  }
  if (query.group !== undefined) {
    where.push('group_key = @group');
    params.group = query.group;
  }
  const filter = where.join(' AND ');
  const byClass = query.classId !== undefined;
  if (byClass) params.classId = query.classId!;
  const pageFilter = byClass
    ? `${filter} AND (EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = images.id AND l.class_idx = @classId)
      OR EXISTS (SELECT 1 FROM boxes b WHERE b.image_id = images.id AND b.class_idx = @classId)
      OR EXISTS (SELECT 1 FROM mask_classes m WHERE m.image_id = images.id AND m.class_idx = @classId))`
    : filter;
  const limit = query.limit ?? 100;
  // An offset walks the (dataset_id, id) index up to the position: a few ms at
  // 100,000 rows, and it lets the grid open any row without reading all before it.
  const rows = catalog
    .statement(`SELECT ${summaryColumns} FROM images WHERE ${pageFilter} AND id > @after ORDER BY id LIMIT @limit OFFSET @offset`)
    .all({ ...params, after: query.after ?? 0, limit: limit + 1, offset: query.offset ?? 0 }) as ImageRow[];
  const total = catalog.cachedCount(JSON.stringify(params), () => countImages(catalog, filter, params, byClass));
  const page = rows.slice(0, limit);
  return { items: page.map(toSummary), offset: query.after === undefined ? (query.offset ?? 0) : null, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null, total };
}

export function imageSummary(catalog: Catalog, imageId: number): ImageSummary | null {
  const row = catalog.statement(`SELECT ${summaryColumns} FROM images WHERE id = ?`).get(imageId) as ImageRow | undefined;
  return row ? toSummary(row) : null;
}

interface MaskRow {
  image_id: number;
  sha256: string;
  frame_index: number;
  width: number;
  height: number;
  class_map: string;
  source_path: string;
}

function toMask(row: MaskRow): MaskInfo {
  return {
    sha256: row.sha256,
    frameIndex: row.frame_index,
    width: row.width,
    height: row.height,
    classMap: JSON.parse(row.class_map) as MaskInfo['classMap'],
    sourcePath: row.source_path,
  };
}

interface BoxRow {
  image_id: number;
  class_idx: number;
  x: number;
  y: number;
  w: number;
  h: number;
  clipped: number;
}

function toBox(row: BoxRow): BoxAnnotation {
  return { classId: row.class_idx, x: row.x, y: row.y, w: row.w, h: row.h, clipped: row.clipped === 1 };
}

function withAnnotations(row: ImageRow, labels: number[], boxes: BoxAnnotation[], mask: MaskInfo | null): ImageDetail {
  return { ...toSummary(row), labels, boxes, mask, metadata: JSON.parse(row.metadata) as Record<string, unknown> };
}

export function getImage(catalog: Catalog, imageId: number): ImageDetail | null {
  const row = catalog.statement('SELECT * FROM images WHERE id = ?').get(imageId) as ImageRow | undefined;
  if (!row) return null;
  const labels = (catalog.statement('SELECT class_idx FROM image_labels WHERE image_id = ? ORDER BY class_idx').all(imageId) as Array<{ class_idx: number }>).map((r) => r.class_idx);
  const boxes = (catalog.statement('SELECT * FROM boxes WHERE image_id = ? ORDER BY id').all(imageId) as BoxRow[]).map(toBox);
  const mask = catalog.statement('SELECT * FROM masks WHERE image_id = ?').get(imageId) as MaskRow | undefined;
  return withAnnotations(row, labels, boxes, mask ? toMask(mask) : null);
}

/** All images of a dataset (optionally one split) with annotations, in a fixed number of queries. */
export function imagesWithAnnotations(catalog: Catalog, datasetId: number, split?: SplitName): ImageDetail[] {
  const splitFilter = split ? 'AND i.split = @split' : '';
  const params = split ? { datasetId, split } : { datasetId };
  const rows = catalog.statement(`SELECT * FROM images i WHERE i.dataset_id = @datasetId ${splitFilter} ORDER BY i.id`).all(params) as ImageRow[];
  const labels = new Map<number, number[]>();
  for (const r of catalog
    .statement(`SELECT l.image_id, l.class_idx FROM image_labels l JOIN images i ON i.id = l.image_id WHERE i.dataset_id = @datasetId ${splitFilter} ORDER BY l.image_id, l.class_idx`)
    .all(params) as Array<{ image_id: number; class_idx: number }>) {
    const list = labels.get(r.image_id) ?? [];
    list.push(r.class_idx);
    labels.set(r.image_id, list);
  }
  const boxes = new Map<number, BoxAnnotation[]>();
  for (const r of catalog.statement(`SELECT b.* FROM boxes b JOIN images i ON i.id = b.image_id WHERE i.dataset_id = @datasetId ${splitFilter} ORDER BY b.id`).all(params) as BoxRow[]) {
    const list = boxes.get(r.image_id) ?? [];
    list.push(toBox(r));
    boxes.set(r.image_id, list);
  }
  const masks = new Map<number, MaskInfo>();
  for (const r of catalog.statement(`SELECT m.* FROM masks m JOIN images i ON i.id = m.image_id WHERE i.dataset_id = @datasetId ${splitFilter}`).all(params) as MaskRow[]) {
    masks.set(r.image_id, toMask(r));
  }
  return rows.map((row) => withAnnotations(row, labels.get(row.id) ?? [], boxes.get(row.id) ?? [], masks.get(row.id) ?? null));
}
