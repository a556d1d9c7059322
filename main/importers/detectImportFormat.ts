import path from 'node:path';
import { isDirectory, isFile, isImageFileName, listDir } from './fileWalk';
import { looksLikeImageFolder } from './planners/imageFolderPlanner';
import { looksLikeLabelCsv } from './planners/csvPlanner';
import { looksLikeMedmnist } from './planners/medmnistPlanner';
import { isPairedMaskDir } from './planners/pairedMaskPlanner';
import { looksLikeNnunet } from './planners/nnunetPlanner';
import { findCocoFiles } from './planners/cocoPlanner';
import { looksLikeVoc } from './planners/vocPlanner';
import { looksLikeYolo } from './planners/yoloPlanner';
import { containsDicomSegmentation } from './planners/dicomSegPlanner';
import type { ImportFormat } from '../../shared/api/import';

export interface DetectedFormat {
  format: ImportFormat;
  /** where the layout starts (publishers wrap datasets in folders: bccd/BCCD/, data/membrane/train/) */
  root: string;
}

const wrapperFiles = /^(readme|license|licence|copying|sources|citation|notice)(\.\w+)?$|^\./i;

function formatOfDir(dir: string): ImportFormat | null {
  if (looksLikeNnunet(dir)) return 'nnunet';
  if (looksLikeVoc(dir)) return 'voc';
  if (looksLikeYolo(dir)) return 'yolo';
  if (findCocoFiles(dir).length > 0) return 'coco';
  if (isPairedMaskDir(dir)) return 'paired-masks';
  const csvs = listDir(dir).files.filter((f) => f.toLowerCase().endsWith('.csv') && looksLikeLabelCsv(path.join(dir, f)));
  if (csvs.length === 1) return 'csv';
  const npz = listDir(dir).files.filter((f) => looksLikeMedmnist(f));
  if (npz.length === 1) return 'medmnist';
  if (looksLikeImageFolder(dir)) return 'image-folder';
  return null;
}

/**
 * The import format of a file or folder. Folders holding a single sub-folder
 * next to README/LICENSE files are descended into; a folder with nothing
 * recognisable is imported as plain images (every file reported).
 */
export function detectImportFormat(p: string): DetectedFormat {
  const abs = path.resolve(p);
  if (isFile(abs)) {
    const lower = abs.toLowerCase();
    if (lower.endsWith('.npz')) return { format: 'medmnist', root: abs };
    if (lower.endsWith('.csv')) return { format: 'csv', root: abs };
    if (lower.endsWith('.json') && findCocoFiles(abs).length > 0) return { format: 'coco', root: abs };
    if (isImageFileName(lower)) return { format: 'images', root: abs };
    throw new Error(`${path.basename(abs)}: not a dataset file this app can import (.npz, .csv, COCO .json or an image)`);
  }
  if (!isDirectory(abs)) throw new Error(`${abs}: no such file or folder`);
  let dir = abs;
  for (let depth = 0; depth < 6; depth++) {
    // Before the folder layouts: a SEG next to its series folder would otherwise look like class folders.
    const found = containsDicomSegmentation(dir) ? 'dicom-seg' : formatOfDir(dir);
    if (found) return { format: found, root: dir };
    const { files, dirs } = listDir(dir);
    const visible = dirs.filter((d) => !d.startsWith('.'));
    if (visible.length === 1 && files.every((f) => wrapperFiles.test(f))) dir = path.join(dir, visible[0]!);
    else break;
  }
  return { format: 'images', root: abs };
}

/** The folder/file a format's planner starts from when the user named the format. */
export function rootForFormat(p: string, format: ImportFormat): string {
  const abs = path.resolve(p);
  if (format === 'images') return abs;
  try {
    const detected = detectImportFormat(abs);
    if (detected.format === format) return detected.root;
  } catch {
    // fall through: the planner reports what is wrong with abs
  }
  if (isDirectory(abs) && (format === 'csv' || format === 'medmnist')) {
    const wanted = format === 'csv' ? '.csv' : '.npz';
    const files = listDir(abs).files.filter((f) => f.toLowerCase().endsWith(wanted));
    if (files.length === 1) return path.join(abs, files[0]!);
  }
  return abs;
}
