import { readFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Catalog } from '../catalog/openCatalog';
import { sha256Hex } from '../catalog/contentStore';
import { createDataset, findImportedDataset, findResumableDataset, setDatasetState } from '../catalog/datasetQueries';
import { datasetClasses } from '../catalog/datasetQueries';
import { findDuplicate, finishedSourcePaths, storedSha256, recordFileOutcome, writeImportedFile, type ImportedFrame, type StoredFileRef } from '../catalog/importWrites';
import { decodeMaskFrames, encodeGreyPng, encodePngImage, inspectImageFrames, type FrameFacts } from '../imaging/imageCodec';
import { distinctValues, maskToClassIds, type MaskFrame } from '../imaging/maskValues';
import { toPixelBox } from './boxGeometry';
import { instancesOfMask, type InstanceBox, type InstanceFrame } from './instanceMasks';
import { instanceClassesFromTable, instanceClassesFromTypeMap } from './instanceClasses';
import type { ImportPlan, PlannedItem } from './importPlan';
import type { ImportCounts, ImportFileReport, ImportOptions } from '../../shared/api/import';
import { outsideImageClass } from '../../shared/letterbox';

export interface ImportRunHooks {
  /** after each file (or planning-time skip) */
  onFile?(report: ImportFileReport, done: number, total: number): void;
  /** before each file: the file about to be read */
  onStart?(path: string, done: number, total: number): void;
  isCancelled?(): boolean;
  /** update an imported dataset: a file already there is compared by content, replaced when it changed */
  updating?: boolean;
}

export interface ImportRunResult {
  datasetId: number;
  state: 'completed' | 'cancelled';
  counts: ImportCounts;
  files: ImportFileReport[];
}

/** The content hash of an item's file as stored (in-archive samples are re-encoded: compared by their pixels' PNG). */
function contentSha256(item: PlannedItem): string | null {
  if (item.inline) {
    const { width, height, channels, data } = item.inline;
    return sha256Hex(encodePngImage({ width, height, channels, bitDepth: 8, data, photometric: channels === 3 ? 'RGB' : 'MONOCHROME2' }));
  }
  return fileSha256(item.file!);
}

function fileSha256(file: string): string | null {
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return null;
  }
}

/** A per-file problem: reported as "skipped", never aborts the import. */
class SkipFile extends Error {}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.nii.gz')) return '.nii.gz';
  const base = lower.split('/').pop()!;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

function modalityOf(image: FrameFacts): string | null {
  const m = image.metadata?.modality ?? image.metadata?.Modality;
  return typeof m === 'string' && m !== '' ? m : null;
}

interface PreparedFile {
  bytes: Uint8Array;
  file: StoredFileRef;
  extra: Array<{ bytes: Uint8Array; ref: StoredFileRef }>;
  frames: ImportedFrame[];
  warnings: string[];
  group: string | null;
}

/** Decodes and checks one item: everything that can fail happens here, before any write. */
async function prepareItem(item: PlannedItem, plan: ImportPlan, classIndex: Map<string, number>, options: Pick<ImportOptions, 'niftiAxis' | 'groupBy'>): Promise<PreparedFile> {
  if (item.skip) throw new SkipFile(item.skip);
  let bytes: Uint8Array;
  let fileName = item.key;
  if (item.inline) {
    const { width, height, channels, data } = item.inline;
    bytes = encodePngImage({ width, height, channels, bitDepth: 8, data, photometric: channels === 3 ? 'RGB' : 'MONOCHROME2' });
    fileName = `${item.key}.png`;
  } else {
    try {
      bytes = readFileSync(item.file!);
    } catch (error) {
      throw new SkipFile(`cannot read ${item.key}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
    }
  }
  let decoded: FrameFacts[];
  try {
    decoded = await inspectImageFrames(bytes, fileName, { niftiAxis: options.niftiAxis });
  } catch (error) {
    throw new SkipFile(messageOf(error));
  }
  if (decoded.length === 0) throw new SkipFile(`${item.key}: holds no image frames`);
  const warnings = [...(item.warnings ?? [])];
  const labels = (item.labels ?? []).map((name) => {
    const id = classIndex.get(name);
    if (id === undefined) throw new SkipFile(`${item.key}: label "${name}" is not a class of this dataset`);
    return id;
  });
  const extra: PreparedFile['extra'] = [];
  let maskFrames: Array<{ ids: Uint8Array; width: number; height: number; classMap: Array<{ value: number; classId: number }>; instanceBoxes: InstanceBox[] }> | null = null;
  let maskRef: StoredFileRef | null = null;
  if (item.mask) {
    const relPath = item.mask.relPath;
    let maskBytes: Uint8Array;
    try {
      maskBytes = item.mask.bytes ?? readFileSync(item.mask.file);
    } catch (error) {
      throw new SkipFile(`cannot read mask ${relPath}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
    }
    let maskDecoded: MaskFrame[];
    try {
      maskDecoded = await decodeMaskFrames(maskBytes, relPath, { niftiAxis: options.niftiAxis });
    } catch (error) {
      throw new SkipFile(`mask ${messageOf(error)}`);
    }
    if (maskDecoded.length !== decoded.length) throw new SkipFile(`mask ${relPath} has ${maskDecoded.length} frames, the image ${decoded.length}`);
    const typeFrames = plan.instanceMasks && item.mask.typeMap ? await readTypeMapFrames(item.mask.typeMap, maskDecoded) : null;
    const valueToClass = new Map((plan.maskValueToClass ?? []).map((e) => [e.value, e.classId]));
    maskFrames = maskDecoded.map((m, i) => {
      const image = decoded[i]!;
      if (m.width !== image.width || m.height !== image.height) throw new SkipFile(`mask ${relPath} is ${m.width}x${m.height} but the image is ${image.width}x${image.height}`);
      try {
        if (plan.instanceMasks) {
          // instance ids: object vs background, and a box per instance (so the dataset also serves detection)
          let instances = instancesOfMask(m, relPath);
          if (plan.instanceClassIds) {
            const valueToClassId = new Map(plan.instanceClassIds.map((e) => [e.value, e.classId]));
            const { typeMap, classTable } = item.mask!;
            let classOfId: Map<number, number>;
            if (typeMap && typeFrames) classOfId = instanceClassesFromTypeMap(m, typeFrames[i]!, typeMap.relPath, valueToClassId);
            else if (classTable) classOfId = instanceClassesFromTable(instances.boxes, classTable.entries, classTable.relPath, relPath, valueToClassId);
            else throw new Error(`${relPath}: no class map for its instances`);
            instances = withInstanceClasses(instances, classOfId);
          }
          return { ids: maskToClassIds(m, new Map(instances.classMap.map((e) => [e.value, e.classId])), relPath), width: m.width, height: m.height, classMap: instances.classMap, instanceBoxes: instances.boxes };
        }
        return { ids: maskToClassIds(m, valueToClass, relPath), width: m.width, height: m.height, classMap: plan.maskValueToClass ?? [], instanceBoxes: [] };
      } catch (error) {
        throw new SkipFile(messageOf(error));
      }
    });
    if (item.mask.region) {
      // stored as class ids with outsideImageClass outside the region: the stored mask alone says what is not scored
      const regionFrames = await readRegionFrames(item.mask.region, maskFrames);
      maskFrames = maskFrames.map((m, i) => regionApplied(m, regionFrames[i]!));
      maskBytes = encodeGreyPng(maskFrames[0]!.width, maskFrames[0]!.height, maskFrames[0]!.ids);
    }
    maskRef = { sha256: sha256Hex(maskBytes), size: maskBytes.length, ext: item.mask.region ? 'png' : extensionOf(relPath) };
    extra.push({ bytes: maskBytes, ref: maskRef });
  }
  const instanceClassId = classIndex.get('object') ?? 1;
  const frames: ImportedFrame[] = decoded.map((image, i) => {
    const boxes: ImportedFrame['boxes'] = [];
    for (const planned of i === 0 ? (item.boxes ?? []) : []) {
      const classId = classIndex.get(planned.className);
      if (classId === undefined) throw new SkipFile(`${item.key}: box class "${planned.className}" is not a class of this dataset`);
      const { box, problem } = toPixelBox(planned, image.width, image.height);
      if (problem) warnings.push(problem);
      if (box) boxes.push({ classId, ...box });
    }
    const maskFrame = maskFrames?.[i];
    for (const b of maskFrame?.instanceBoxes ?? []) boxes.push({ classId: b.classId ?? instanceClassId, x: b.x, y: b.y, w: b.w, h: b.h, clipped: false });
    return {
      frameIndex: image.frameIndex,
      width: image.width,
      height: image.height,
      channels: image.channels,
      bitDepth: image.bitDepth,
      photometric: image.photometric,
      modality: modalityOf(image),
      metadata: image.metadata,
      labels,
      boxes,
      ...(maskFrame && maskRef
        ? {
            mask: {
              sha256: maskRef.sha256,
              frameIndex: i,
              width: maskFrame.width,
              height: maskFrame.height,
              classMap: maskFrame.classMap,
              sourcePath: item.mask!.relPath,
              classesPresent: distinctValues(maskFrame.ids).filter((c) => c !== outsideImageClass),
            },
          }
        : {}),
    };
  });
  let group = item.group ?? null;
  if (group === null && options.groupBy === 'auto') {
    const patient = decoded[0]!.metadata?.patientId;
    if (typeof patient === 'string' && patient !== '') group = patient;
  }
  return { bytes, file: { sha256: sha256Hex(bytes), size: bytes.length, ext: extensionOf(fileName) }, extra, frames, warnings, group };
}

type MaskIds = { ids: Uint8Array; width: number; height: number; classMap: Array<{ value: number; classId: number }>; instanceBoxes: InstanceBox[] };

/** Every instance id sent to its class: the per-class semantic mask and a class on each box. */
function withInstanceClasses(instances: InstanceFrame, classOfId: Map<number, number>): InstanceFrame {
  return {
    classMap: instances.classMap.map((e) => (e.value === 0 ? e : { value: e.value, classId: classOfId.get(e.value)! })),
    boxes: instances.boxes.map((b) => ({ ...b, classId: classOfId.get(b.id)! })),
  };
}

/** The per-pixel class map of an instance mask, frame for frame of its size; a file that cannot serve is the item's skip reason. */
async function readTypeMapFrames(typeMap: { file: string; relPath: string }, masks: MaskFrame[]): Promise<MaskFrame[]> {
  let frames: MaskFrame[];
  try {
    frames = await decodeMaskFrames(readFileSync(typeMap.file), typeMap.relPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SkipFile(`class map ${code !== undefined ? `${typeMap.relPath}: cannot be read (${code})` : messageOf(error)}`);
  }
  if (frames.length !== masks.length) throw new SkipFile(`class map ${typeMap.relPath} has ${frames.length} frames, the mask ${masks.length}`);
  frames.forEach((f, i) => {
    const m = masks[i]!;
    if (f.width !== m.width || f.height !== m.height) throw new SkipFile(`class map ${typeMap.relPath} is ${f.width}x${f.height} but the mask is ${m.width}x${m.height}`);
  });
  return frames;
}

/** The valid-region mask of an item, one frame of the label mask's size; a file that cannot serve is the item's skip reason. */
async function readRegionFrames(region: { file: string; relPath: string }, labels: MaskIds[]): Promise<MaskFrame[]> {
  let frames: MaskFrame[];
  try {
    frames = await decodeMaskFrames(readFileSync(region.file), region.relPath);
  } catch (error) {
    throw new SkipFile(`valid-region mask ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
  }
  if (labels.length !== 1 || frames.length !== 1) throw new SkipFile(`valid-region mask ${region.relPath}: region masks apply to single-frame masks (this one has ${frames.length} frames, the label mask ${labels.length})`);
  const [frame, label] = [frames[0]!, labels[0]!];
  if (frame.width !== label.width || frame.height !== label.height) throw new SkipFile(`valid-region mask ${region.relPath} is ${frame.width}x${frame.height} but the mask is ${label.width}x${label.height}`);
  return frames;
}

/** Class ids with outsideImageClass where the region is 0; the class map then names every stored value. */
function regionApplied(mask: MaskIds, region: MaskFrame): MaskIds {
  const ids = mask.ids.map((id, p) => (region.values[p] === 0 ? outsideImageClass : id));
  const classIds = [...new Set(mask.classMap.map((e) => e.classId))].sort((a, b) => a - b);
  return { ...mask, ids, classMap: [...classIds.map((classId) => ({ value: classId, classId })), { value: outsideImageClass, classId: outsideImageClass }] };
}

/** What to do when the source is in the catalog already: refuse (the default), import only new or changed files into it, or import a copy. */
export type IfExists = 'refuse' | 'update' | 'copy';

/** A second import of a source that is in the catalog, refused: the message says what to ask for instead. */
export class SourceAlreadyImported extends Error {}

/** Why a second import of a source is refused, offering update or copy; one wording for the worker and the start request. */
export function alreadyImportedMessage(sourcePath: string, imported: { id: number; name: string }): string {
  return `${sourcePath} is in the catalog already as dataset ${imported.id} ("${imported.name}"); import only its new or changed files with ifExists "update", or a second dataset with ifExists "copy"`;
}

/** The dataset this plan writes into: a new one, the unfinished one from an interrupted run of the same source, or (update) the finished one. */
export function datasetForPlan(catalog: Catalog, plan: ImportPlan, options: ImportOptions, resume = true, ifExists: IfExists = 'copy'): { datasetId: number; resumed: boolean; updating?: boolean } {
  const existing = resume ? findResumableDataset(catalog, plan.sourcePath, plan.format) : null;
  if (existing !== null) {
    const known = new Set(datasetClasses(catalog, existing).map((c) => c.name));
    const missing = plan.classes.filter((c) => !known.has(c));
    if (missing.length === 0) return { datasetId: existing, resumed: true };
  }
  const imported = ifExists === 'copy' ? null : findImportedDataset(catalog, plan.sourcePath);
  if (imported !== null) {
    const which = `dataset ${imported.id} ("${imported.name}")`;
    if (ifExists === 'refuse') throw new SourceAlreadyImported(alreadyImportedMessage(plan.sourcePath, imported));
    if (imported.format !== plan.format) throw new SourceAlreadyImported(`${plan.sourcePath}: ${which} was imported as ${imported.format}, this import reads it as ${plan.format}; import it as a second dataset with ifExists "copy"`);
    const known = new Set(datasetClasses(catalog, imported.id).map((c) => c.name));
    const missing = plan.classes.filter((c) => !known.has(c));
    if (missing.length > 0) throw new SourceAlreadyImported(`${plan.sourcePath}: the source now has classes ${missing.join(', ')} that ${which} lacks; import it as a second dataset with ifExists "copy"`);
    return { datasetId: imported.id, resumed: true, updating: true };
  }
  const datasetId = createDataset(catalog, {
    name: plan.datasetName,
    format: plan.format,
    kind: plan.kind,
    multiLabel: plan.multiLabel,
    sourcePath: plan.sourcePath,
    publisherSplit: plan.publisherSplit,
    // niftiInPlane: how this import laid out NIfTI slices, so training and previews read them the same way.
    options: { ...options, root: plan.root, niftiInPlane: 'display', ...(plan.instanceMasks ? { maskValues: 'instances' } : {}), ...(plan.classColours ? { classColours: plan.classColours } : {}) },
    classes: plan.classes,
  });
  return { datasetId, resumed: false };
}

/**
 * Imports the planned items one by one: decode and check, store the bytes
 * (content-addressed), then one transaction per file with its annotations.
 * Bad files are reported and skipped; files finished by an interrupted run
 * are not redone.
 */
export async function runImport(catalog: Catalog, plan: ImportPlan, datasetId: number, options: ImportOptions, hooks: ImportRunHooks = {}): Promise<ImportRunResult> {
  setDatasetState(catalog, datasetId, 'importing');
  const classIndex = new Map(datasetClasses(catalog, datasetId).map((c) => [c.name, c.index]));
  const finished = finishedSourcePaths(catalog, datasetId);
  const counts: ImportCounts = { imported: 0, duplicate: 0, skipped: 0 };
  const files: ImportFileReport[] = [];
  const total = plan.items.length + plan.skipped.length;
  let done = 0;
  const report = (r: ImportFileReport, persist: boolean) => {
    // the report row names the file already; reasons from decoders start with it too
    if (r.reason?.startsWith(`${r.path}: `)) r.reason = r.reason.slice(r.path.length + 2);
    if (persist) recordFileOutcome(catalog, datasetId, r.path, r.status, r.reason ?? null);
    counts[r.status]++;
    files.push(r);
    done++;
    hooks.onFile?.(r, done, total);
  };
  for (const s of plan.skipped) report({ path: s.path, status: 'skipped', reason: s.reason }, true);
  let cancelled = false;
  for (const item of plan.items) {
    // let the event loop run (a cancel message, progress sends) between files
    await nextTurn();
    if (hooks.isCancelled?.()) {
      cancelled = true;
      break;
    }
    hooks.onStart?.(item.key, done, total);
    let replaces = false;
    // a mask stored with its valid region applied is known only once prepared: compared then
    let storedWithRegion: { image: string; mask: string | null } | null = null;
    if (finished.has(item.key)) {
      const stored = hooks.updating ? storedSha256(catalog, datasetId, item.key) : null;
      if (stored !== null && item.mask?.region) storedWithRegion = stored;
      // a corrected mask is a change as much as a new image
      else if (stored === null || (stored.image === contentSha256(item) && stored.mask === (item.mask ? fileSha256(item.mask.file) : null))) {
        report({ path: item.key, status: 'duplicate', reason: hooks.updating ? 'unchanged since it was imported' : 'already imported by an earlier run' }, false);
        continue;
      }
      replaces = true;
    }
    let prepared: PreparedFile;
    try {
      prepared = await prepareItem(item, plan, classIndex, options);
    } catch (error) {
      if (!(error instanceof SkipFile)) throw error;
      report({ path: item.key, status: 'skipped', reason: error.message, ...(item.warnings?.length ? { warnings: item.warnings } : {}) }, true);
      continue;
    }
    if (storedWithRegion !== null && storedWithRegion.image === prepared.file.sha256 && storedWithRegion.mask === (prepared.frames[0]?.mask?.sha256 ?? null)) {
      report({ path: item.key, status: 'duplicate', reason: 'unchanged since it was imported' }, false);
      continue;
    }
    const duplicateOf = replaces ? null : findDuplicate(catalog, datasetId, prepared.file.sha256);
    if (duplicateOf !== null) {
      report({ path: item.key, status: 'duplicate', reason: `same content as ${duplicateOf}` }, true);
      continue;
    }
    // files first (temp + rename), rows after: a crash between the two leaves an unreferenced file, never a dangling row
    catalog.store.put(prepared.bytes, prepared.file.sha256);
    for (const e of prepared.extra) catalog.store.put(e.bytes, e.ref.sha256);
    const warnings = prepared.warnings;
    if (replaces) warnings.push('changed since it was imported: replaced');
    let ids: number[];
    try {
      ids = writeImportedFile(catalog, {
      datasetId,
      sourcePath: item.key,
      file: prepared.file,
      extraFiles: prepared.extra.map((e) => e.ref),
      group: prepared.group,
      split: item.split!,
      frames: prepared.frames,
      detail: warnings.length ? warnings.join('; ') : null,
      ...(replaces ? { replaces: true } : {}),
      });
    } catch (error) {
      // the transaction rolled back: nothing of this file is in the catalog
      report({ path: item.key, status: 'skipped', reason: `could not be written to the catalog: ${messageOf(error)}` }, true);
      continue;
    }
    counts.imported++;
    files.push({ path: item.key, status: 'imported', images: ids.length, ...(warnings.length ? { warnings } : {}) });
    done++;
    hooks.onFile?.(files[files.length - 1]!, done, total);
  }
  setDatasetState(catalog, datasetId, cancelled ? 'incomplete' : 'ready');
  return { datasetId, state: cancelled ? 'cancelled' : 'completed', counts, files };
}

