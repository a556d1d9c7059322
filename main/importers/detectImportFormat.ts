import path from 'node:path';
import { isDirectory, isFile, isImageFileName, listDir } from './fileWalk';
import { imageFolderAmongClasses, looksLikeImageFolder } from './planners/imageFolderPlanner';
import { looksLikeLabelCsv } from './planners/csvPlanner';
import { looksLikeMedmnist } from './planners/medmnistPlanner';
import { hasMaskSites, isPairedMaskDir, type PairingOptions } from './planners/pairedMaskPlanner';
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

/** A folder that only wraps the dataset: one visible sub-folder beside README/LICENSE files. */
function isWrapper(dir: string): boolean {
  const { files, dirs } = listDir(dir);
  return dirs.filter((d) => !d.startsWith('.')).length === 1 && files.every((f) => wrapperFiles.test(f));
}

function formatOfDir(dir: string, pairing: PairingOptions): ImportFormat | null {
  // folders the user named for images or masks say what the data is
  if ((pairing.imageFolder !== undefined || pairing.maskFolder !== undefined || pairing.validRegionFolder !== undefined) && hasMaskSites(dir, pairing)) return 'paired-masks';
  if (looksLikeNnunet(dir)) return 'nnunet';
  if (looksLikeVoc(dir)) return 'voc';
  if (looksLikeYolo(dir)) return 'yolo';
  if (findCocoFiles(dir).length > 0) return 'coco';
  if (isPairedMaskDir(dir)) return 'paired-masks';
  const csvs = listDir(dir).files.filter((f) => f.toLowerCase().endsWith('.csv') && looksLikeLabelCsv(path.join(dir, f)));
  if (csvs.length === 1) return 'csv';
  const npz = listDir(dir).files.filter((f) => looksLikeMedmnist(f));
  if (npz.length === 1) return 'medmnist';
  // an image folder beside mask-like folders, at any level (train/images + train/manual): segmentation, never
  // classes; a wrapper is descended into first, so the dataset's root is where its layout starts
  if (!isWrapper(dir) && hasMaskSites(dir, pairing)) return 'paired-masks';
  if (looksLikeImageFolder(dir)) {
    // images/ beside other folders is a question, not two classes
    const suspect = imageFolderAmongClasses(dir);
    if (suspect) {
      const where = suspect.root === '' ? dir : path.join(dir, suspect.root);
      throw new Error(
        `${where}: ${suspect.images}/ sits beside ${suspect.others.map((o) => `${o}/`).join(', ')}, but their file names do not pair; if ${suspect.others.length === 1 ? 'that folder holds' : 'one of them holds'} masks, name it with maskFolder "${suspect.others[0]}" (and pairPattern "<glob with {id}>" for the names), or import the folders as classes with format "image-folder"`,
      );
    }
    return 'image-folder';
  }
  return null;
}

/**
 * The import format of a file or folder. Folders holding a single sub-folder
 * next to README/LICENSE files are descended into; a folder with nothing
 * recognisable is imported as plain images (every file reported).
 */
export function detectImportFormat(p: string, pairing: PairingOptions = {}): DetectedFormat {
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
    const found = containsDicomSegmentation(dir) ? 'dicom-seg' : formatOfDir(dir, pairing);
    if (found) return { format: found, root: dir };
    if (isWrapper(dir)) dir = path.join(dir, listDir(dir).dirs.find((d) => !d.startsWith('.'))!);
    else break;
  }
  return { format: 'images', root: abs };
}

/** The folder/file a format's planner starts from when the user named the format. */
export function rootForFormat(p: string, format: ImportFormat, pairing: PairingOptions = {}): string {
  const abs = path.resolve(p);
  if (format === 'images') return abs;
  try {
    const detected = detectImportFormat(abs, pairing);
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
