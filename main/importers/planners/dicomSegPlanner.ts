import { readFileSync } from 'node:fs';
import { readFileHead } from '../../files/fileHead';
import path from 'node:path';
import { readDicomIdentity, readDicomSegmentation, segmentationStorageUid, type DicomIdentity, type SegmentInfo } from '../../imaging/dicomSegmentation';
import { rasteriseContours, readRtStructureSet, rtStructureSetStorageUid, type RoiContour } from '../../imaging/dicomRtStruct';
import { encodeGreyPng } from '../../imaging/imageCodec';
import { listFilesRecursive } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';

/** Names that say the file is something else: not worth opening for a DICOM header. */
const notDicomName = /\.(png|jpe?g|tiff?|gif|bmp|nii|nii\.gz|txt|md|json|csv|xml|html?|pdf|zip)$/i;

function hasDicomMagic(file: string): boolean {
  try {
    const magic = readFileHead(file, 132);
    return magic.length === 132 && magic[128] === 0x44 && magic[129] === 0x49 && magic[130] === 0x43 && magic[131] === 0x4d;
  } catch {
    return false;
  }
}

/** SOP class / instance of a DICOM file, reading only its head unless the header is longer. */
function identityOf(file: string, rel: string): ReturnType<typeof readDicomIdentity> | null {
  if (notDicomName.test(rel) || !hasDicomMagic(file)) return null;
  for (const bytes of [readFileHead(file, 64 * 1024), null]) {
    try {
      return readDicomIdentity(bytes ?? readFileSync(file), rel);
    } catch {
      // header longer than the head: read the whole file once; a broken file is reported by the import
    }
  }
  return null;
}

const annotationUids = [segmentationStorageUid, rtStructureSetStorageUid].map((uid) => new TextEncoder().encode(uid));

function holdsUid(head: Uint8Array, uid: Uint8Array): boolean {
  outer: for (let at = 132; at + uid.length <= head.length; at++) {
    for (let index = 0; index < uid.length; index++) if (head[at + index] !== uid[index]) continue outer;
    // the UID itself, not a longer one that starts with it
    const next = head[at + uid.length];
    if (next === undefined || !((next >= 0x30 && next <= 0x39) || next === 0x2e)) return true;
  }
  return false;
}

/** The SEG or RT-STRUCT class UID in a file's first 2 KiB (its meta header names the SOP class): cheap enough to run over a whole folder. */
function headNamesSegmentation(file: string): boolean {
  if (!hasDicomMagic(file)) return false;
  const head = readFileHead(file, 2048);
  return annotationUids.some((uid) => holdsUid(head, uid));
}

/** Whether a folder holds a DICOM Segmentation Storage object or an RT Structure Set (checked file by file, up to a limit; the planner then reads them properly). */
export function containsDicomSegmentation(root: string, fileLimit = 5000): boolean {
  const files = listFilesRecursive(root).filter((rel) => !notDicomName.test(rel)).slice(0, fileLimit);
  return files.some((rel) => headNamesSegmentation(path.join(root, rel)));
}

/**
 * DICOM-SEG: Segmentation Storage objects (or RT Structure Sets) next to the
 * images they segment. Each referenced image becomes an item whose mask is
 * the SEG's label map for it (or the RT-STRUCT contours rasterised on its
 * pixel grid), written as a PNG of class ids; segments / ROIs are the classes
 * (after "background"), merged by label across files; their recommended
 * colours are kept. Images nothing covers, and references to images that are
 * missing, are reported.
 */
export async function planDicomSeg(root: string): Promise<Omit<ImportPlan, 'sourcePath' | 'datasetName'>> {
  const skipped: ImportPlan['skipped'] = [];
  const images = new Map<string, { rel: string; frames: number; geometry: DicomIdentity['geometry'] }>();
  const segmentationFiles: string[] = [];
  const structureSetFiles: string[] = [];
  const others: string[] = [];
  for (const rel of listFilesRecursive(root)) {
    const identity = identityOf(path.join(root, rel), rel);
    if (!identity) others.push(rel);
    else if (identity.sopClassUid === segmentationStorageUid) segmentationFiles.push(rel);
    else if (identity.sopClassUid === rtStructureSetStorageUid) structureSetFiles.push(rel);
    else if (identity.sopInstanceUid) images.set(identity.sopInstanceUid, { rel, frames: identity.frames, geometry: identity.geometry });
    else skipped.push({ path: rel, reason: 'DICOM file without a SOP Instance UID: no segmentation can refer to it' });
  }
  if (segmentationFiles.length === 0 && structureSetFiles.length === 0) throw new Error(`${root}: no DICOM Segmentation Storage object (SEG) or RT Structure Set in this folder`);

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
  for (const rtRel of structureSetFiles) {
    let structureSet;
    try {
      structureSet = readRtStructureSet(readFileSync(path.join(root, rtRel)), rtRel);
    } catch (error) {
      skipped.push({ path: rtRel, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const classByRoi = new Map(structureSet.rois.map((roi) => [roi.number, classOf({ number: roi.number, label: roi.name, colour: roi.colour })]));
    const contoursByImage = new Map<string, RoiContour[]>();
    for (const contour of structureSet.contours) contoursByImage.set(contour.sopInstanceUid, [...(contoursByImage.get(contour.sopInstanceUid) ?? []), contour]);
    for (const [sopInstanceUid, contours] of contoursByImage) {
      const image = images.get(sopInstanceUid);
      if (!image) {
        skipped.push({ path: rtRel, reason: `has contours on image ${sopInstanceUid}, which is not in this folder` });
        continue;
      }
      if (!image.geometry || image.frames > 1) {
        skipped.push({ path: image.rel, reason: `${rtRel} draws on this image, but it has no single-frame plane geometry (Image Position / Orientation, Pixel Spacing) to place the contours` });
        continue;
      }
      if (covered.has(image.rel)) {
        skipped.push({ path: rtRel, reason: `${image.rel} is segmented by an earlier file too; the first one is kept` });
        continue;
      }
      let roiNumbers: Uint8Array;
      try {
        roiNumbers = rasteriseContours(contours, image.geometry);
      } catch (error) {
        skipped.push({ path: image.rel, reason: `${rtRel}: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      covered.add(image.rel);
      const classIds = Uint8Array.from(roiNumbers, (roi) => (roi === 0 ? 0 : (classByRoi.get(roi) ?? 0)));
      items.push({ key: image.rel, file: path.join(root, image.rel), mask: { file: path.join(root, rtRel), relPath: `${rtRel}#${path.basename(image.rel)}.png`, bytes: encodeGreyPng(image.geometry.columns, image.geometry.rows, classIds) } });
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
