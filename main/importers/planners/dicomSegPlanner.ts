import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { readDicomIdentity, readDicomSegmentation, segmentationStorageUid, type SegmentInfo } from '../../imaging/dicomSegmentation';
import { encodeGreyPng } from '../../imaging/imageCodec';
import { listFilesRecursive } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';

/** Names that say the file is something else: not worth opening for a DICOM header. */
const notDicomName = /\.(png|jpe?g|tiff?|gif|bmp|nii|nii\.gz|txt|md|json|csv|xml|html?|pdf|zip)$/i;

function readHead(file: string, size: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(size);
    return buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}

function hasDicomMagic(file: string): boolean {
  try {
    const magic = readHead(file, 132);
    return magic.length === 132 && magic[128] === 0x44 && magic[129] === 0x49 && magic[130] === 0x43 && magic[131] === 0x4d;
  } catch {
    return false;
  }
}

/** SOP class / instance of a DICOM file, reading only its head unless the header is longer. */
function identityOf(file: string, rel: string): ReturnType<typeof readDicomIdentity> | null {
  if (notDicomName.test(rel) || !hasDicomMagic(file)) return null;
  for (const bytes of [readHead(file, 64 * 1024), null]) {
    try {
      return readDicomIdentity(bytes ?? readFileSync(file), rel);
    } catch {
      // header longer than the head: read the whole file once; a broken file is reported by the import
    }
  }
  return null;
}

const segmentationUidBytes = new TextEncoder().encode(segmentationStorageUid);

/** The SEG class UID in a file's first 2 KiB (its meta header names the SOP class): cheap enough to run over a whole folder. */
function headNamesSegmentation(file: string): boolean {
  if (!hasDicomMagic(file)) return false;
  const head = readHead(file, 2048);
  outer: for (let at = 132; at + segmentationUidBytes.length <= head.length; at++) {
    for (let index = 0; index < segmentationUidBytes.length; index++) if (head[at + index] !== segmentationUidBytes[index]) continue outer;
    // the UID itself, not a longer one that starts with it
    const next = head[at + segmentationUidBytes.length];
    if (next === undefined || !((next >= 0x30 && next <= 0x39) || next === 0x2e)) return true;
  }
  return false;
}

/** Whether a folder holds a DICOM Segmentation Storage object (checked file by file, up to a limit; the planner then reads them properly). */
export function containsDicomSegmentation(root: string, fileLimit = 5000): boolean {
  const files = listFilesRecursive(root).filter((rel) => !notDicomName.test(rel)).slice(0, fileLimit);
  return files.some((rel) => headNamesSegmentation(path.join(root, rel)));
}

/**
 * DICOM-SEG: Segmentation Storage objects next to the images they segment.
 * Each referenced image becomes an item whose mask is the SEG's label map for
 * it (segment numbers, written as a PNG); segments are the classes (after
 * "background"), merged by label across SEG files; their recommended colours
 * are kept. Images no SEG covers, and SEG frames whose image is missing, are
 * reported.
 */
export async function planDicomSeg(root: string): Promise<Omit<ImportPlan, 'sourcePath' | 'datasetName'>> {
  const skipped: ImportPlan['skipped'] = [];
  const images = new Map<string, { rel: string; frames: number }>();
  const segmentationFiles: string[] = [];
  const others: string[] = [];
  for (const rel of listFilesRecursive(root)) {
    const identity = identityOf(path.join(root, rel), rel);
    if (!identity) others.push(rel);
    else if (identity.sopClassUid === segmentationStorageUid) segmentationFiles.push(rel);
    else if (identity.sopInstanceUid) images.set(identity.sopInstanceUid, { rel, frames: identity.frames });
    else skipped.push({ path: rel, reason: 'DICOM file without a SOP Instance UID: no segmentation can refer to it' });
  }
  if (segmentationFiles.length === 0) throw new Error(`${root}: no DICOM Segmentation Storage object (SEG) in this folder`);

  const classes = ['background'];
  const classColours: Record<string, string> = {};
  const classOfLabel = new Map<string, number>();
  const classOf = (segment: SegmentInfo): number => {
    let id = classOfLabel.get(segment.label);
    if (id === undefined) {
      id = classes.length;
      classes.push(segment.label);
      classOfLabel.set(segment.label, id);
      if (segment.colour) classColours[segment.label] = segment.colour;
    }
    return id;
  };
  const items: PlannedItem[] = [];
  const covered = new Set<string>();
  for (const segRel of segmentationFiles) {
    let segmentation;
    try {
      segmentation = await readDicomSegmentation(readFileSync(path.join(root, segRel)), segRel);
    } catch (error) {
      skipped.push({ path: segRel, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const classBySegment = new Map(segmentation.segments.map((segment) => [segment.number, classOf(segment)]));
    for (const map of segmentation.labelMaps) {
      const image = images.get(map.sopInstanceUid);
      if (!image) {
        skipped.push({ path: segRel, reason: `segments image ${map.sopInstanceUid}, which is not in this folder` });
        continue;
      }
      if (image.frames > 1 || map.frameNumber !== null) {
        skipped.push({ path: image.rel, reason: `${segRel} segments frame ${map.frameNumber ?? 1} of this multi-frame image; segmentations of multi-frame images are not imported yet` });
        continue;
      }
      if (covered.has(image.rel)) {
        skipped.push({ path: segRel, reason: `${image.rel} is segmented by an earlier SEG file too; the first one is kept` });
        continue;
      }
      covered.add(image.rel);
      // Mask pixel = class id directly, so SEG files with different segment numbering share one class map.
      const classIds = Uint8Array.from(map.segmentNumbers, (segment) => (segment === 0 ? 0 : (classBySegment.get(segment) ?? 0)));
      items.push({ key: image.rel, file: path.join(root, image.rel), mask: { file: path.join(root, segRel), relPath: `${segRel}#${path.basename(image.rel)}.png`, bytes: encodeGreyPng(map.width, map.height, classIds) } });
    }
  }
  for (const [, image] of images) if (!covered.has(image.rel)) skipped.push({ path: image.rel, reason: 'no segmentation in this folder covers this image' });
  for (const rel of others) skipped.push({ path: rel, reason: 'not a DICOM file' });
  if (classes.length > 256) throw new Error(`${root}: the SEG files hold ${classes.length - 1} distinct segments, more than a class mask holds (255)`);
  return {
    root,
    format: 'dicom-seg',
    kind: 'segmentation',
    classes,
    classColours,
    maskValueToClass: classes.map((_, classId) => ({ value: classId, classId })),
    multiLabel: false,
    publisherSplit: false,
    items,
    skipped,
  };
}
