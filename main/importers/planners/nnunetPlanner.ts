import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDirectory, isFile, isImageFileName, listFilesRecursive, stemOf } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { jsonErrorPosition } from '../contentFreeMessages';

export function looksLikeNnunet(dir: string): boolean {
  return isFile(path.join(dir, 'dataset.json')) && isDirectory(path.join(dir, 'imagesTr'));
}

/** Case id and channel of "la_003_0000.nii.gz" (nnU-Net v2 naming); MSD files carry no channel suffix. */
export function caseAndChannel(fileName: string): { caseId: string; channel: number } {
  const stem = stemOf(fileName);
  const m = /^(.*)_(\d{4})$/.exec(stem);
  return m ? { caseId: m[1]!, channel: Number(m[2]) } : { caseId: stem, channel: 0 };
}

function labelsOf(json: Record<string, unknown>, name: string): { classes: string[]; valueToClass: Array<{ value: number; classId: number }> } {
  const labels = json.labels;
  if (!labels || typeof labels !== 'object') throw new Error(`${name}: missing "labels"`);
  const pairs: Array<{ value: number; name: string }> = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    // MSD / nnU-Net v1: {"0": "background"}; v2: {"background": 0} (region lists are not supported)
    if (/^\d+$/.test(k)) pairs.push({ value: Number(k), name: String(v) });
    else if (typeof v === 'number') pairs.push({ value: v, name: k });
    else throw new Error(`${name}: label ${pairs.length + 1} of "labels" is a region (list of values); only plain labels are supported`);
  }
  pairs.sort((a, b) => a.value - b.value);
  return { classes: pairs.map((p) => p.name), valueToClass: pairs.map((p, classId) => ({ value: p.value, classId })) };
}

/**
 * Medical Segmentation Decathlon / nnU-Net raw layout: imagesTr + labelsTr
 * (train), imagesTs (test, unlabelled), dataset.json with the labels.
 * Channel 0 of each case (the _0000 file) is the image; further channels are
 * reported as skipped with the reason.
 */
export function planNnunet(root: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const name = 'dataset.json';
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path.join(root, name), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${name}: not valid JSON${jsonErrorPosition(error)}`);
  }
  const { classes, valueToClass } = labelsOf(json, name);
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const labelsDir = path.join(root, 'labelsTr');
  const labelByCase = new Map<string, string>();
  if (isDirectory(labelsDir)) {
    for (const rel of listFilesRecursive(labelsDir)) {
      if (rel.split('/').pop()!.startsWith('._') || !isImageFileName(rel)) skipped.push({ path: `labelsTr/${rel}`, reason: 'not a label volume' });
      else labelByCase.set(stemOf(rel), rel);
    }
  }
  const addFolder = (folder: 'imagesTr' | 'imagesTs') => {
    const dir = path.join(root, folder);
    if (!isDirectory(dir)) return;
    for (const rel of listFilesRecursive(dir)) {
      const key = `${folder}/${rel}`;
      // macOS resource forks ("._la_003.nii.gz") ship inside the MSD tarballs
      if (rel.split('/').pop()!.startsWith('._') || !isImageFileName(rel)) {
        skipped.push({ path: key, reason: 'not an image volume' });
        continue;
      }
      const { caseId, channel } = caseAndChannel(rel);
      if (channel !== 0) {
        skipped.push({ path: key, reason: `channel ${channel} of case ${caseId}: only channel 0 is imported` });
        continue;
      }
      const item: PlannedItem = { key, file: path.join(dir, rel), split: folder === 'imagesTs' ? 'test' : 'train', group: caseId };
      if (folder === 'imagesTr') {
        const label = labelByCase.get(caseId);
        if (label) item.mask = { file: path.join(labelsDir, label), relPath: `labelsTr/${label}` };
        else item.skip = `no label volume labelsTr/${caseId}.* for this case`;
      }
      items.push(item);
    }
  };
  addFolder('imagesTr');
  addFolder('imagesTs');
  return { root, format: 'nnunet', kind: 'segmentation', classes, multiLabel: false, maskValueToClass: valueToClass, publisherSplit: true, items, skipped };
}
