import { z } from 'zod';
import { endpoint } from './endpoint';
import { datasetKinds, splitNames, splitNameSchema, type DatasetKind, type SplitName } from '../vocabulary';

export { datasetKinds, splitNames, splitNameSchema };
export type { DatasetKind, SplitName };

/** importing: a job is (or was, if it died) writing it; incomplete: cancelled; ready: finished. */
export type DatasetState = 'importing' | 'incomplete' | 'ready';

export type SplitCounts = Record<SplitName, number>;

export interface ClassInfo {
  /** class id used by labels, boxes and mask class maps */
  index: number;
  name: string;
}

export interface DatasetSummary {
  id: number;
  name: string;
  format: string;
  kind: DatasetKind;
  multiLabel: boolean;
  sourcePath: string;
  state: DatasetState;
  imageCount: number;
  classCount: number;
  splitCounts: SplitCounts;
  /** whether the splits came from the publisher (VOC ImageSets, MedMNIST keys...) or were generated */
  publisherSplit: boolean;
  createdAt: string;
  updatedAt: string;
  /** soft delete: set while the dataset is in the bin (restorable) */
  deletedAt: string | null;
}

export interface DatasetDetail extends DatasetSummary {
  classes: ClassInfo[];
  /** the import options used (split policy, seed, group source...) */
  options: Record<string, unknown>;
}

/** What one stored frame (a page, slice or DICOM frame) is made of; no pixels. */
export interface ImageFrameFacts {
  frameIndex: number;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  photometric: string;
}

export interface ImageSummary extends ImageFrameFacts {
  id: number;
  datasetId: number;
  /** path relative to the import root (for in-archive samples: archive#key) */
  sourcePath: string;
  sha256: string;
  modality: string | null;
  group: string | null;
  split: SplitName;
}

export interface BoxAnnotation {
  classId: number;
  /** top-left corner and size in pixels of the stored image */
  x: number;
  y: number;
  w: number;
  h: number;
  /** true when the published box reached outside the image and was clipped */
  clipped: boolean;
}

export interface MaskInfo {
  sha256: string;
  frameIndex: number;
  width: number;
  height: number;
  /** stored pixel value -> class id */
  classMap: Array<{ value: number; classId: number }>;
  sourcePath: string;
}

export interface ImageDetail extends ImageSummary {
  labels: number[];
  boxes: BoxAnnotation[];
  mask: MaskInfo | null;
  metadata: Record<string, unknown>;
}

export interface ImagePage {
  items: ImageSummary[];
  /** position of items[0] in the filtered list (the request's offset; null when paging by cursor) */
  offset: number | null;
  /** pass as `after` to get the next page; null at the end */
  nextCursor: number | null;
  /** images matching the filters */
  total: number;
}

/** Small previews of many images in one answer: one message instead of one request per thumbnail. */
export interface ThumbnailBatch {
  items: Array<{ imageId: number; /** PNG, base64 */ png: string } | { imageId: number; error: string }>;
}

export interface ClassCount {
  classId: number;
  name: string;
  /** images carrying the class (labels, boxes or mask class map) per split */
  images: SplitCounts;
  /** boxes of the class per split (detection) */
  boxes: SplitCounts;
}

export interface DatasetStatistics {
  datasetId: number;
  imageCount: number;
  splitCounts: SplitCounts;
  groupCount: number;
  classCounts: ClassCount[];
  /** instance-label datasets (masks of object ids): objects per split, one box each */
  instances?: SplitCounts;
  /** image sizes, most frequent first */
  sizeHistogram: Array<{ width: number; height: number; count: number }>;
}

const datasetIdSchema = z.number().int().positive();

export const listImagesRequestSchema = z
  .object({
    datasetId: datasetIdSchema,
    split: splitNameSchema.optional(),
    classId: z.number().int().nonnegative().optional(),
    group: z.string().optional(),
    /** keyset cursor: the last image id of the previous page (sequential reading) */
    after: z.number().int().nonnegative().optional(),
    /** position of the first item in the filtered list (random access, e.g. a grid jumping to row 30,000) */
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict()
  .refine((r) => r.after === undefined || r.offset === undefined, { message: 'give either after (a cursor) or offset (a position), not both', path: ['offset'] });

export const thumbnailsRequestSchema = z
  .object({
    imageIds: z.array(z.number().int().positive()).min(1).max(256),
    /** longest side in pixels */
    maxSide: z.number().int().min(16).max(512).default(128),
  })
  .strict();

export const catalogApi = {
  'catalog/listDatasets': endpoint<DatasetSummary[]>()(z.object({ includeDeleted: z.boolean().default(false) }).strict()),
  'catalog/getDataset': endpoint<DatasetDetail>()(z.object({ datasetId: datasetIdSchema }).strict()),
  'catalog/deleteDataset': endpoint<DatasetSummary>()(z.object({ datasetId: datasetIdSchema }).strict()),
  'catalog/restoreDataset': endpoint<DatasetSummary>()(z.object({ datasetId: datasetIdSchema }).strict()),
  'catalog/listImages': endpoint<ImagePage>()(listImagesRequestSchema),
  'catalog/thumbnails': endpoint<ThumbnailBatch>()(thumbnailsRequestSchema),
  'catalog/getImage': endpoint<ImageDetail>()(z.object({ imageId: z.number().int().positive() }).strict()),
  'catalog/statistics': endpoint<DatasetStatistics>()(z.object({ datasetId: datasetIdSchema }).strict()),
};
