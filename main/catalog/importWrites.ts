import type { Catalog } from './openCatalog';
import type { BoxAnnotation, ImageFrameFacts, MaskInfo, SplitName } from '../../shared/api/catalog';
import type { ImportFileStatus } from '../../shared/api/import';

export interface StoredFileRef {
  sha256: string;
  size: number;
  /** extension the decoders need to recognise the bytes (".png", ".nii.gz", "" for bare DICOM) */
  ext: string;
}

export interface ImportedFrame extends ImageFrameFacts {
  modality: string | null;
  metadata: Record<string, unknown>;
  labels: number[];
  boxes: BoxAnnotation[];
  mask?: MaskInfo & { classesPresent: number[] };
}

export interface ImportedFile {
  datasetId: number;
  sourcePath: string;
  file: StoredFileRef;
  /** mask files and the like, stored alongside */
  extraFiles: StoredFileRef[];
  group: string | null;
  split: SplitName;
  frames: ImportedFrame[];
  detail: string | null;
  /** update of a changed source file: its earlier rows (and their annotations) are replaced in the same transaction */
  replaces?: boolean;
}

/**
 * One source file with all its frames and annotations, in one transaction:
 * a crash (even SIGKILL) leaves either the whole image with its labels,
 * boxes and mask, or nothing. Returns the new image ids.
 */
export function writeImportedFile(catalog: Catalog, file: ImportedFile): number[] {
  const now = new Date().toISOString();
  const insertFile = catalog.statement('INSERT OR IGNORE INTO files (sha256, size, ext, created_at) VALUES (?, ?, ?, ?)');
  const insertImage = catalog.statement(
    `INSERT INTO images (dataset_id, source_path, sha256, frame_index, width, height, channels, bit_depth, photometric, modality, group_key, split, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLabel = catalog.statement('INSERT OR IGNORE INTO image_labels (image_id, dataset_id, class_idx) VALUES (?, ?, ?)');
  const insertBox = catalog.statement('INSERT INTO boxes (image_id, dataset_id, class_idx, x, y, w, h, clipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertMask = catalog.statement('INSERT INTO masks (image_id, sha256, frame_index, width, height, class_map, source_path) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertMaskClass = catalog.statement('INSERT OR IGNORE INTO mask_classes (image_id, dataset_id, class_idx) VALUES (?, ?, ?)');
  return catalog.db.transaction(() => {
    if (file.replaces) catalog.statement('DELETE FROM images WHERE dataset_id = ? AND source_path = ?').run(file.datasetId, file.sourcePath);
    for (const f of [file.file, ...file.extraFiles]) insertFile.run(f.sha256, f.size, f.ext, now);
    const ids: number[] = [];
    for (const frame of file.frames) {
      const id = Number(
        insertImage.run(
          file.datasetId,
          file.sourcePath,
          file.file.sha256,
          frame.frameIndex,
          frame.width,
          frame.height,
          frame.channels,
          frame.bitDepth,
          frame.photometric,
          frame.modality,
          file.group,
          file.split,
          JSON.stringify(frame.metadata),
        ).lastInsertRowid,
      );
      ids.push(id);
      for (const label of frame.labels) insertLabel.run(id, file.datasetId, label);
      for (const b of frame.boxes) insertBox.run(id, file.datasetId, b.classId, b.x, b.y, b.w, b.h, b.clipped ? 1 : 0);
      if (frame.mask) {
        const m = frame.mask;
        insertMask.run(id, m.sha256, m.frameIndex, m.width, m.height, JSON.stringify(m.classMap), m.sourcePath);
        for (const c of m.classesPresent) insertMaskClass.run(id, file.datasetId, c);
      }
    }
    recordFileOutcome(catalog, file.datasetId, file.sourcePath, 'imported', file.detail);
    return ids;
  })();
}

export function recordFileOutcome(catalog: Catalog, datasetId: number, sourcePath: string, status: ImportFileStatus, detail: string | null): void {
  catalog.statement('INSERT OR REPLACE INTO import_files (dataset_id, source_path, status, detail) VALUES (?, ?, ?, ?)').run(datasetId, sourcePath, status, detail);
}

/** Source files a previous (interrupted) run already finished: a resumed import does not redo them. */
export function finishedSourcePaths(catalog: Catalog, datasetId: number): Set<string> {
  const rows = catalog.statement("SELECT source_path FROM import_files WHERE dataset_id = ? AND status IN ('imported', 'duplicate')").all(datasetId) as Array<{ source_path: string }>;
  return new Set(rows.map((r) => r.source_path));
}

/** The content hashes stored for a source file of the dataset (its image, and its mask if any); null when it has no image there. */
export function storedSha256(catalog: Catalog, datasetId: number, sourcePath: string): { image: string; mask: string | null } | null {
  const row = catalog
    .statement('SELECT i.sha256 AS image, m.sha256 AS mask FROM images i LEFT JOIN masks m ON m.image_id = i.id WHERE i.dataset_id = ? AND i.source_path = ? LIMIT 1')
    .get(datasetId, sourcePath) as { image: string; mask: string | null } | undefined;
  return row ?? null;
}

/** The source path of an image in the dataset with the same content, if any. */
export function findDuplicate(catalog: Catalog, datasetId: number, sha256: string): string | null {
  const row = catalog.statement('SELECT source_path FROM images WHERE dataset_id = ? AND sha256 = ? LIMIT 1').get(datasetId, sha256) as { source_path: string } | undefined;
  return row?.source_path ?? null;
}
