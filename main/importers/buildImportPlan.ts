import { readFileSync } from 'node:fs';
import { readFileHead } from '../files/fileHead';
import path from 'node:path';
import { isDirectory, listDir } from './fileWalk';
import { detectImportFormat, rootForFormat } from './detectImportFormat';
import type { ImportPlan, PlannedItem } from './importPlan';
import { planImageFolder } from './planners/imageFolderPlanner';
import { planCsv } from './planners/csvPlanner';
import { planMedmnist } from './planners/medmnistPlanner';
import { planPairedMasks, readClassMapFile, type PairingOptions } from './planners/pairedMaskPlanner';
import { instanceClassList, readInstanceClassNames } from './instanceClasses';
import { planNnunet } from './planners/nnunetPlanner';
import { planCoco } from './planners/cocoPlanner';
import { planVoc } from './planners/vocPlanner';
import { planYolo } from './planners/yoloPlanner';
import { planImages } from './planners/imagesPlanner';
import { planDicomSeg } from './planners/dicomSegPlanner';
import { decodeMaskFrames } from '../imaging/imageCodec';
import { readImageHeader } from '../imaging/decodeImageFile';
import { distinctValues } from '../imaging/maskValues';
import { assignSplits, carveValidation, type SplitCandidate } from './splitAssignment';
import { compileGroupPattern } from './groupPattern';
import { symlinksUnder } from './symlinkReport';
import type { ImportFormat, ImportOptions } from '../../shared/api/import';
import { importOptionsSchema } from '../../shared/api/import';
import { outsideImageClass } from '../../shared/letterbox';

function fileInside(dir: string, ext: string, format: ImportFormat): string {
  if (!isDirectory(dir)) return dir;
  const files = listDir(dir).files.filter((f) => f.toLowerCase().endsWith(ext));
  if (files.length !== 1) throw new Error(`${dir}: expected exactly one ${ext} file for the ${format} format, found ${files.length}`);
  return path.join(dir, files[0]!);
}

function planFormat(format: ImportFormat, root: string, pairing: PairingOptions): Omit<ImportPlan, 'sourcePath' | 'datasetName'> | Promise<Omit<ImportPlan, 'sourcePath' | 'datasetName'>> {
  switch (format) {
    case 'image-folder':
      return planImageFolder(root);
    case 'csv':
      return planCsv(fileInside(root, '.csv', format));
    case 'medmnist':
      return planMedmnist(fileInside(root, '.npz', format));
    case 'paired-masks':
      return planPairedMasks(root, pairing);
    case 'nnunet':
      return planNnunet(root);
    case 'coco':
      return planCoco(root);
    case 'voc':
      return planVoc(root);
    case 'yolo':
      return planYolo(root);
    case 'images':
      return isDirectory(root) ? planImages(root) : { ...planImages(path.dirname(root)), items: [{ key: path.basename(root), file: root }] };
    case 'dicom-seg':
      return planDicomSeg(root);
  }
}

/** Group keys by the user's choice; 'auto' keeps what the format publishes (CSV group column, nnU-Net case). */
export function applyGroupPolicy(items: PlannedItem[], options: Pick<ImportOptions, 'groupBy' | 'groupPattern'>): void {
  if (options.groupBy === 'auto') return;
  let groupOf: ((key: string) => string | null) | null = null;
  if (options.groupBy === 'pattern') {
    if (!options.groupPattern) throw new Error('groupBy "pattern" needs groupPattern (a regular expression with one capture group)');
    groupOf = compileGroupPattern(options.groupPattern);
  }
  for (const item of items) {
    if (options.groupBy === 'none') item.group = null;
    else if (options.groupBy === 'parent-folder') item.group = item.key.includes('/') ? item.key.slice(0, item.key.lastIndexOf('/')) : null;
    else item.group = groupOf!(item.key);
  }
}

/**
 * DICOM folders: the patient is the group key (so one patient never spans
 * two splits). Read from the header before splitting; the first 256 KiB
 * hold it in practice, the whole file is read when they do not.
 */
/** Names that say the file is something else: not worth opening to look for a DICOM header. */
const notDicomName = /\.(png|jpe?g|tiff?|gif|bmp|nii|nii\.gz|txt|md|json|csv|xml)$/i;

export function applyDicomPatientGroups(items: PlannedItem[]): void {
  for (const item of items) {
    if (!item.file || item.group || notDicomName.test(item.key)) continue;
    let head: Uint8Array;
    try {
      // 132 bytes tell whether it is DICOM at all; only then read the header's worth
      const magic = readFileHead(item.file, 132);
      const isDicom = magic.length === 132 && magic[128] === 0x44 && magic[129] === 0x49 && magic[130] === 0x43 && magic[131] === 0x4d;
      if (!isDicom) continue;
      head = readFileHead(item.file, 256 * 1024);
    } catch {
      continue;
    }
    for (const bytes of [head, null]) {
      try {
        const header = readImageHeader(bytes ?? readFileSync(item.file), item.key);
        if (header.patientId) item.group = header.patientId;
        break;
      } catch {
        // header cut by the 256 KiB head, or a broken file the import will report
      }
    }
  }
}

/** Publisher split kept (policy auto/publisher), the rest split seeded, stratified by first label, group-aware. */
export function applySplitPolicy(plan: ImportPlan, options: Pick<ImportOptions, 'splitPolicy' | 'splitRatios' | 'seed'>): void {
  if (options.splitPolicy === 'publisher' && !plan.publisherSplit) throw new Error(`${plan.sourcePath}: the ${plan.format} data has no publisher split; use splitPolicy "auto" or "generated"`);
  const keepPublisher = options.splitPolicy !== 'generated';
  let candidates: SplitCandidate[] = plan.items.map((item) => ({
    key: item.key,
    group: item.group ?? null,
    stratum: item.labels?.[0] ?? null,
    ...(keepPublisher && item.split ? { split: item.split } : {}),
  }));
  const policy = { ratios: options.splitRatios, seed: options.seed };
  if (keepPublisher) candidates = carveValidation(candidates, policy);
  const splits = assignSplits(candidates, policy);
  for (const item of plan.items) item.split = splits.get(item.key)!;
  plan.publisherSplit = keepPublisher && plan.publisherSplit;
}

/** More distinct mask values than this across a dataset (with no class map) are instance ids, not classes: 31 nuclei are not 32 classes. */
export const instanceValueThreshold = 20;

/**
 * Segmentation without a published class map: the distinct mask values, in
 * order, are the classes. Instance label images (many ids; or the user says
 * so with maskValues "instances") become object vs background, each id an
 * instance with its own box. A mask that cannot be read is skipped with its
 * reason; it never fails the import.
 */
async function inferMaskClasses(plan: ImportPlan, mode: NonNullable<ImportOptions['maskValues']>): Promise<void> {
  if (plan.kind !== 'segmentation') return;
  // a class map for instances (type_map/, instance_classes.csv) says the masks are instance ids
  const classesOfInstances = plan.instanceClassSource !== undefined && mode !== 'classes';
  if (plan.maskValueToClass && mode !== 'instances' && !classesOfInstances) {
    dropInstanceClassSource(plan);
    return;
  }
  const values = new Set<number>();
  for (const item of plan.items) {
    if (!item.mask || item.skip) continue;
    try {
      for (const frame of await decodeMaskFrames(readFileSync(item.mask.file), item.mask.relPath)) {
        // beyond 65,536 ids the set only costs memory: the decision is made
        if (values.size <= 65_536) for (const v of distinctValues(frame.values)) values.add(v);
      }
    } catch (error) {
      item.skip = `mask ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (mode === 'instances' || classesOfInstances || (mode === 'auto' && values.size > instanceValueThreshold)) {
    plan.instanceMasks = true;
    plan.classes = ['background', 'object'];
    delete plan.maskValueToClass;
    if (plan.instanceClassSource !== undefined) await inferInstanceClasses(plan);
    return;
  }
  dropInstanceClassSource(plan);
  if (values.size > 255) throw new Error(`${plan.sourcePath}: the masks hold ${values.size} distinct values, too many for classes; if they are instance ids (one per object), use maskValues "instances"`);
  const sorted = [...values].sort((a, b) => a - b);
  plan.maskValueToClass = sorted.map((value, classId) => ({ value, classId }));
  plan.classes = sorted.map((v) => String(v));
}

/** The masks are class values after all: a class map folder beside them is not about instances. */
function dropInstanceClassSource(plan: ImportPlan): void {
  if (plan.instanceClassSource === undefined) return;
  delete plan.instanceClassSource;
  plan.skipped = plan.skipped.filter((s) => !s.reason.startsWith('class map without an image'));
  for (const item of plan.items) {
    if (!item.mask) continue;
    delete item.mask.typeMap;
    delete item.mask.classTable;
    delete item.mask.classSourceProblem;
  }
}

/**
 * Instance masks with a class source: the classes are background plus every
 * class value the type maps hold, the table names or the class names list
 * ("class N" when unnamed). A mask whose class source is missing or cannot be
 * read is skipped with that reason.
 */
async function inferInstanceClasses(plan: ImportPlan): Promise<void> {
  const values = new Set<number>();
  for (const item of plan.items) {
    if (!item.mask || item.skip) continue;
    const { typeMap, classTable, classSourceProblem } = item.mask;
    if (classSourceProblem !== undefined) item.skip = classSourceProblem;
    else if (classTable) for (const [, value] of classTable.entries) values.add(value);
    else if (typeMap) {
      try {
        const seen = new Set<number>();
        for (const frame of await decodeMaskFrames(readFileSync(typeMap.file), typeMap.relPath)) for (const v of distinctValues(frame.values)) seen.add(v);
        const bad = [...seen].find((v) => v < 0 || !Number.isInteger(v));
        if (bad !== undefined) throw new Error(`${typeMap.relPath}: value ${bad} is not a class id (class maps hold whole numbers, 0 background)`);
        if (seen.size > outsideImageClass) throw new Error(`${typeMap.relPath}: holds ${seen.size} distinct values, too many for class ids (is it an instance image?)`);
        for (const v of seen) values.add(v);
      } catch (error) {
        item.skip = `class map ${error instanceof Error ? error.message : String(error)}`;
      }
    } else item.skip = 'no class map for its instances';
  }
  const { classes, valueToClass } = instanceClassList(values, readInstanceClassNames(readClassMapFile(plan.root)));
  if (classes.length > outsideImageClass) throw new Error(`${plan.sourcePath}: the class maps of the instances hold ${classes.length - 1} classes, more than ${outsideImageClass - 1}`);
  plan.classes = classes;
  plan.instanceClassIds = valueToClass;
}

/** Outside a valid region a label pixel is stored as outsideImageClass (255): a dataset that needs 255 as a real class id cannot have one. */
function refuseClassOutsideRegion(plan: ImportPlan): void {
  if (plan.format !== 'paired-masks') throw new Error(`${plan.sourcePath}: validRegionFolder goes with paired masks (format paired-masks), not ${plan.format}`);
  if (plan.classes.length > outsideImageClass) {
    throw new Error(`${plan.sourcePath}: ${plan.classes.length} classes need the class id ${outsideImageClass} for a real class, but with a valid-region mask ${outsideImageClass} marks the pixels outside the region (not trained on, not scored); import without validRegionFolder, or with at most ${outsideImageClass} classes`);
  }
}

export interface PlanRequest {
  path: string;
  format?: ImportFormat;
  name?: string;
  options?: Partial<ImportOptions>;
  /** the source is in the catalog already: refuse (the worker's default), update it, or import a copy */
  ifExists?: 'refuse' | 'update' | 'copy';
}

/** Reads the layout and annotations (no pixel decoding, except masks for a class map): what an import will do. */
export async function buildImportPlan(request: PlanRequest): Promise<ImportPlan> {
  const options = importOptionsSchema.parse(request.options ?? {});
  const sourcePath = path.resolve(request.path);
  const pairing: PairingOptions = {
    ...(options.imageFolder !== undefined ? { imageFolder: options.imageFolder } : {}),
    ...(options.maskFolder !== undefined ? { maskFolder: options.maskFolder } : {}),
    ...(options.validRegionFolder !== undefined ? { validRegionFolder: options.validRegionFolder } : {}),
    ...(options.pairPattern !== undefined ? { pairPattern: options.pairPattern } : {}),
    ...(options.instanceClasses !== undefined ? { instanceClasses: options.instanceClasses } : {}),
  };
  const detected = request.format ? { format: request.format, root: rootForFormat(sourcePath, request.format, pairing) } : detectImportFormat(sourcePath, pairing);
  const planned = await planFormat(detected.format, detected.root, pairing);
  const datasetName = request.name ?? path.basename(sourcePath).replace(/\.(npz|csv|json)$/i, '');
  const plan: ImportPlan = { ...planned, sourcePath, datasetName };
  if (plan.items.length === 0 && plan.skipped.length === 0) throw new Error(`${sourcePath}: nothing to import (no files${detected.root !== sourcePath ? ` under ${path.relative(sourcePath, detected.root) || '.'}` : ''})`);
  if (options.groupBy === 'auto' && (plan.format === 'images' || plan.format === 'dicom-seg')) applyDicomPatientGroups(plan.items);
  applyGroupPolicy(plan.items, options);
  applySplitPolicy(plan, options);
  if (options.instanceClasses !== undefined && (plan.format !== 'paired-masks' || options.maskValues === 'classes')) {
    throw new Error(`${plan.sourcePath}: instanceClasses goes with instance label images (format paired-masks, maskValues "instances" or "auto"), not ${options.maskValues === 'classes' ? 'maskValues "classes"' : plan.format}`);
  }
  await inferMaskClasses(plan, options.maskValues ?? 'auto');
  if (options.validRegionFolder !== undefined) refuseClassOutsideRegion(plan);
  if (isDirectory(plan.root)) plan.skipped.push(...symlinksUnder(plan.root));
  return plan;
}
