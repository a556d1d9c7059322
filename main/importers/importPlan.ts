import type { DatasetKind, SplitName } from '../../shared/api/catalog';
import type { ImportFormat } from '../../shared/api/import';

/** A box as published: pixels (x, y top-left) or, for YOLO, normalised centre coordinates. */
export interface PlannedBox {
  className: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** YOLO: x, y are the normalised centre and w, h normalised sizes; converted once the image size is known */
  normalizedCentre?: boolean;
}

export interface PlannedMask {
  /** absolute path of the mask file */
  file: string;
  /** path relative to the import root */
  relPath: string;
  /** the mask's bytes when the planner made them (DICOM-SEG: one label-map PNG per image), instead of reading file */
  bytes?: Uint8Array;
  /** paired masks: the valid-region mask paired with the image; label pixels where it is 0 are stored as outsideImageClass */
  region?: { file: string; relPath: string };
  /** instance masks: the per-pixel class map (type map) paired with the image; each instance takes its pixels' majority class */
  typeMap?: { file: string; relPath: string };
  /** instance masks: instance id -> class value from the folder's table */
  classTable?: { relPath: string; entries: Array<[number, number]> };
  /** instance masks: why this mask's instances have no class source (the item's skip reason once the masks are read as instances) */
  classSourceProblem?: string;
}

/** In-archive pixels (MedMNIST): stored as a PNG per sample. */
export interface InlinePixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** One source file (or in-archive sample) with everything published about it. */
export interface PlannedItem {
  /** path relative to the import root (archive#key for in-archive samples): the catalog's source_path */
  key: string;
  /** absolute path of the image file */
  file?: string;
  inline?: InlinePixels;
  labels?: string[];
  boxes?: PlannedBox[];
  mask?: PlannedMask;
  split?: SplitName;
  group?: string | null;
  /** known bad before decoding: the reason it is skipped */
  skip?: string;
  /** non-fatal problems found while planning (dropped annotations...) */
  warnings?: string[];
}

export interface ImportPlan {
  /** the folder (or file) the paths are relative to */
  root: string;
  /** what the user pointed at */
  sourcePath: string;
  format: ImportFormat;
  kind: DatasetKind;
  datasetName: string;
  classes: string[];
  multiLabel: boolean;
  /** class name -> display colour ('#rrggbb') the publisher recommends (DICOM-SEG); kept in the dataset's options */
  classColours?: Record<string, string>;
  /** segmentation: stored mask value -> class id (identity when absent) */
  maskValueToClass?: Array<{ value: number; classId: number }>;
  publisherSplit: boolean;
  /** masks are instance label images: 0 background, every other value one object (class "object", one box each) */
  instanceMasks?: boolean;
  /** instance masks: where the instances' classes come from (a folder such as type_map/, or a table file); kept only for instance masks */
  instanceClassSource?: string;
  /** instance masks with classes: class value (type map pixel / table class) -> class id */
  instanceClassIds?: Array<{ value: number; classId: number }>;
  items: PlannedItem[];
  /** paired masks: the rule that paired images with masks, and the pairs (shown before importing) */
  pairing?: { rule: string; pairs: Array<{ image: string; mask: string; region?: string }> };
  /** paired masks: the other folders beside the image folders (choices for a valid-region or class map folder) */
  besideFolders?: string[];
  /** files that are not items at all (broken annotation files, orphans), with the reason */
  skipped: Array<{ path: string; reason: string }>;
}
