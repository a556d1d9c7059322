import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations } from './applyMigrations';
import { catalogMigrations } from './catalogMigrations';
import { CatalogConnection } from './catalogConnection';
import * as datasets from './datasetQueries';
import * as images from './imageQueries';
import { datasetStatistics } from './datasetStatistics';
import type { DatasetDetail, DatasetStatistics, DatasetSummary, ImageDetail, ImagePage, ImageSummary, SplitName } from '../../shared/api/catalog';
import type { ListImagesQuery } from './imageQueries';

export type { ListImagesQuery } from './imageQueries';

/**
 * The dataset catalog: one SQLite file (WAL, foreign keys on) plus the
 * content-addressed file store, both under the data folder. Safe to open from
 * several processes (the import worker writes while the app reads).
 */
export class Catalog extends CatalogConnection {
  listDatasets(options: { includeDeleted?: boolean } = {}): DatasetSummary[] {
    return datasets.listDatasets(this, options.includeDeleted ?? false);
  }
  getDataset(datasetId: number): DatasetDetail | null {
    return datasets.getDataset(this, datasetId);
  }
  deleteDataset(datasetId: number): DatasetSummary | null {
    return datasets.setDeleted(this, datasetId, true);
  }
  restoreDataset(datasetId: number): DatasetSummary | null {
    return datasets.setDeleted(this, datasetId, false);
  }
  listImages(query: ListImagesQuery): ImagePage {
    return images.listImages(this, query);
  }
  getImage(imageId: number): ImageDetail | null {
    return images.getImage(this, imageId);
  }
  /** Every image of a dataset with its annotations, in id order. */
  imagesWithAnnotations(datasetId: number, split?: SplitName): ImageDetail[] {
    return images.imagesWithAnnotations(this, datasetId, split);
  }
  imageSummary(imageId: number): ImageSummary | null {
    return images.imageSummary(this, imageId);
  }
  statistics(datasetId: number): DatasetStatistics | null {
    return datasetStatistics(this, datasetId);
  }
}

export function catalogPath(dataDir: string): string {
  return path.join(dataDir, 'catalog.sqlite');
}

export function openCatalog(dataDir: string): Catalog {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(catalogPath(dataDir));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // WAL + NORMAL: a commit survives a process crash (SIGKILL); only a power loss may drop the last transactions.
  db.pragma('synchronous = NORMAL');
  // the import worker and the app share the file: wait for the writer instead of failing
  db.pragma('busy_timeout = 5000');
  applyMigrations(db, catalogMigrations);
  return new Catalog(db, dataDir);
}
