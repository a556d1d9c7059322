import { z } from 'zod';
import { endpoint } from './endpoint';
import type { DatasetKind, SplitCounts } from './catalog';

export const importFormats = ['image-folder', 'csv', 'medmnist', 'paired-masks', 'nnunet', 'coco', 'voc', 'yolo', 'images', 'dicom-seg'] as const;
export type ImportFormat = (typeof importFormats)[number];
export const importFormatSchema = z.enum(importFormats);

/** A folder named inside the dataset: a name or a relative path that stays inside it. */
const relativeFolderSchema = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !/^([\\/]|[a-zA-Z]:)/.test(p) && !p.split(/[\\/]/).includes('..'), { message: 'a folder name or a path relative to the dataset root, not leaving it' });

export const importOptionsSchema = z
  .object({
    /** auto: the publisher's split when the data has one, else a generated one */
    splitPolicy: z.enum(['auto', 'publisher', 'generated']).default('auto'),
    /** train/val/test fractions of a generated split */
    splitRatios: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).default([0.7, 0.15, 0.15]),
    seed: z.number().int().default(42),
    /** where the group key (patient / study / slide) comes from */
    groupBy: z.enum(['auto', 'none', 'parent-folder', 'pattern']).default('auto'),
    /** with groupBy 'pattern': a regular expression over the relative path whose first capture group is the key */
    groupPattern: z.string().optional(),
    /** anatomical plane NIfTI volumes are sliced along into 2D images */
    niftiAxis: z.enum(['axial', 'coronal', 'sagittal']).default('axial'),
    /** paired masks: the folder holding the images, a name matched at any level under the root or a path relative to it */
    imageFolder: relativeFolderSchema.optional(),
    /** paired masks: the folder holding the masks (same rules) */
    maskFolder: relativeFolderSchema.optional(),
    /** paired masks: a folder of valid-region (field-of-view) masks beside the images (same rules); label pixels where it is 0 are not trained on and not scored */
    validRegionFolder: relativeFolderSchema.optional(),
    /** paired masks: a glob with one {id} that reads the identifier pairing an image with its mask, e.g. "{id}_*" */
    pairPattern: z.string().min(1).max(500).optional(),
    /** masks: class values, instance ids (one id per object: a semantic mask + one box per instance), or decided by the values (auto) */
    maskValues: z.enum(['auto', 'classes', 'instances']).optional(),
    /** instance masks: where each instance's class comes from, a folder of per-pixel class maps beside the images (paired like maskFolder) or a CSV file (file,instance_id,class) relative to the root; found without it: type_map/ (or class_map/) beside the images, else instance_classes.csv at the root */
    instanceClasses: relativeFolderSchema.optional(),
    /** segmentation: the class that is background in this dataset (not scored), null = none; absent = from the names */
    backgroundClass: z.string().min(1).nullable().optional(),
  })
  .strict();
export type ImportOptions = z.output<typeof importOptionsSchema>;
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;

export interface ImportPreview {
  path: string;
  format: ImportFormat;
  kind: DatasetKind;
  datasetName: string;
  /** files or in-archive samples that will be imported */
  itemCount: number;
  classes: string[];
  multiLabel: boolean;
  /** planned split of the items (generated when the publisher has none) */
  splits: SplitCounts;
  publisherSplit: boolean;
  /** problems already known before decoding (broken annotation files...) */
  skipped: Array<{ path: string; reason: string }>;
  /** a dataset from the same folder whose import stopped part way: start resumes it */
  resumesDatasetId: number | null;
  /** a finished dataset from the same source: start refuses unless told to update it or import a copy */
  existingDataset?: { id: number; name: string } | null;
  /** paired masks: the rule that paired images with masks and the pairs (unpaired files are in skipped); region: the valid-region mask paired too */
  pairing?: { rule: string; pairs: Array<{ image: string; mask: string; region?: string }> };
  /** paired masks: the other folders beside the image folders (not the images, not the labels): choices for validRegionFolder and instanceClasses */
  besideFolders?: string[];
  /** masks read as instance ids: object vs background, one box per instance */
  instanceMasks?: boolean;
  /** instance masks with classes: where each instance's class comes from (e.g. "type_map/" or "instance_classes.csv") */
  instanceClasses?: string;
}

export type ImportFileStatus = 'imported' | 'duplicate' | 'skipped';

export interface ImportFileReport {
  path: string;
  status: ImportFileStatus;
  /** why skipped / what it duplicates */
  reason?: string;
  /** non-fatal problems, e.g. boxes clipped to the image */
  warnings?: string[];
  /** images added (several for multi-frame DICOM or NIfTI volumes) */
  images?: number;
}

export type ImportJobState = 'running' | 'completed' | 'cancelled' | 'failed';

export interface ImportCounts {
  imported: number;
  duplicate: number;
  skipped: number;
}

export interface ImportJobSummary {
  jobId: string;
  path: string;
  format: ImportFormat | null;
  datasetId: number | null;
  state: ImportJobState;
  done: number;
  total: number;
  counts: ImportCounts;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface ImportJobReport extends ImportJobSummary {
  files: ImportFileReport[];
}

export interface ImportProgressEvent {
  jobId: string;
  datasetId: number | null;
  done: number;
  total: number;
  currentFile: string;
  filesPerSecond: number;
}

export interface ImportFinishedEvent {
  jobId: string;
  datasetId: number | null;
  state: Exclude<ImportJobState, 'running'>;
  counts: ImportCounts;
  error: string | null;
}

export const importApi = {
  'import/detect': endpoint<ImportPreview>()(z.object({ path: z.string().min(1), format: importFormatSchema.optional(), options: importOptionsSchema.optional() }).strict()),
  'import/start': endpoint<{ jobId: string }>()(
    z
      .object({
        path: z.string().min(1),
        format: importFormatSchema.optional(),
        name: z.string().min(1).optional(),
        options: importOptionsSchema.optional(),
        /** the source is in the catalog already: refuse (default), import only new or changed files into it, or import a second copy */
        ifExists: z.enum(['refuse', 'update', 'copy']).optional(),
      })
      .strict(),
  ),
  'import/cancel': endpoint<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1) }).strict()),
  'import/report': endpoint<ImportJobReport>()(z.object({ jobId: z.string().min(1) }).strict()),
  'import/listJobs': endpoint<ImportJobSummary[]>()(z.object({}).strict()),
};
