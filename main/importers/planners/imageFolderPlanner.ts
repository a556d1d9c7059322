import path from 'node:path';
import { isImageFileName, listDir, listFilesRecursive } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { splitFromName } from './splitFolderNames';
import { findMaskPair, imageDirNames } from './pairedMaskPlanner';
import { naturalSort } from './naturalOrder';

function classFolders(dir: string): string[] {
  return listDir(dir).dirs.filter((d) => !d.startsWith('.'));
}

/** Whether dir looks like ImageFolder: class sub-folders holding images (optionally under train/val/test). */
export function looksLikeImageFolder(dir: string): boolean {
  const { files, dirs } = listDir(dir);
  if (files.some(isImageFileName) || dirs.length === 0) return false;
  const splitDirs = dirs.filter((d) => splitFromName(d));
  const classRoots = splitDirs.length > 0 && splitDirs.length === dirs.length ? splitDirs.map((d) => path.join(dir, d)) : [dir];
  // image/ + label/ folders are a segmentation pair, not two classes
  if (classRoots.some((root) => findMaskPair(root) !== null)) return false;
  return classRoots.every((root) => {
    const classes = classFolders(root);
    return classes.length >= 2 && classes.every((c) => listFilesRecursive(path.join(root, c)).some(isImageFileName));
  });
}

/**
 * A "class" folder named like an image folder (images/, img/) beside others:
 * more likely images with masks whose names did not pair than classes. The
 * class root holding it, or null.
 */
export function imageFolderAmongClasses(dir: string): { root: string; images: string; others: string[] } | null {
  const { dirs } = listDir(dir);
  const splitDirs = dirs.filter((d) => splitFromName(d));
  const classRoots = splitDirs.length > 0 && splitDirs.length === dirs.length ? splitDirs : [''];
  for (const rel of classRoots) {
    const classes = classFolders(path.join(dir, rel));
    const images = classes.find((c) => imageDirNames.includes(c.toLowerCase()));
    if (images !== undefined) return { root: rel, images, others: classes.filter((c) => c !== images) };
  }
  return null;
}

/** One folder per class, optionally under train/val/test folders (the publisher's split). */
export function planImageFolder(root: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const dirs = classFolders(root);
  const splitDirs = dirs.filter((d) => splitFromName(d));
  const splitLayout = splitDirs.length > 0 && splitDirs.length === dirs.length;
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const classes = new Set<string>();
  const addClassRoot = (classRootRel: string, split: ReturnType<typeof splitFromName>) => {
    const classRootAbs = path.join(root, classRootRel);
    for (const file of listDir(classRootAbs).files) skipped.push({ path: path.posix.join(classRootRel, file), reason: 'not inside a class folder' });
    for (const className of classFolders(classRootAbs)) {
      classes.add(className);
      for (const rel of listFilesRecursive(path.join(classRootAbs, className))) {
        const key = path.posix.join(classRootRel, className, rel);
        if (!isImageFileName(rel)) {
          skipped.push({ path: key, reason: 'not an image file' });
          continue;
        }
        items.push({ key, file: path.join(root, key), labels: [className], ...(split ? { split } : {}) });
      }
    }
  };
  if (splitLayout) for (const d of splitDirs) addClassRoot(d, splitFromName(d));
  else addClassRoot('', null);
  return { root, format: 'image-folder', kind: 'classification', classes: naturalSort(classes), multiLabel: false, publisherSplit: splitLayout, items, skipped };
}
