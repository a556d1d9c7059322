import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDirectory, isFile, isImageFileName, listDir, listFilesRecursive, stemOf } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { pairFiles } from './maskPairing';
import { splitFromName } from './splitFolderNames';
import { jsonErrorPosition } from '../contentFreeMessages';
import { instanceClassTableName, readInstanceClassNames, readInstanceClassTable, tableRowsFor, typeMapFolderNames, type InstanceClassTable } from '../instanceClasses';

/** Folder names that say "the images" in image + mask layouts. */
export const imageDirNames = ['images', 'image', 'imgs', 'img'];
const maskDirNames = ['masks', 'mask', 'labels', 'label', 'annotations', 'gt', 'groundtruth'];
const classMapFiles = ['classes.json', 'class_map.json', 'labels.json', 'classmap.json'];

export function findMaskPair(dir: string): { images: string; masks: string } | null {
  const dirs = listDir(dir).dirs;
  const images = dirs.find((d) => imageDirNames.includes(d.toLowerCase()));
  const masks = dirs.find((d) => maskDirNames.includes(d.toLowerCase()));
  if (!images || !masks) return null;
  const imageFiles = listFilesRecursive(path.join(dir, images)).filter(isImageFileName);
  const maskStems = new Set(listFilesRecursive(path.join(dir, masks)).filter(isImageFileName).map(stemOf));
  // some file stems must pair up, or these are unrelated folders
  return imageFiles.some((f) => maskStems.has(stemOf(f))) ? { images, masks } : null;
}

/**
 * A class map published next to the data: {"0": "background", "255": "membrane"}
 * (value -> name), {"background": 0} (name -> value) or ["background", ...]
 * (index = value).
 */
export function readClassMapFile(dir: string): { classes: string[]; valueToClass: Array<{ value: number; classId: number }> } | null {
  const file = classMapFiles.map((f) => path.join(dir, f)).find(isFile);
  if (!file) return null;
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${name}: not valid JSON${jsonErrorPosition(error)}`);
  }
  const pairs: Array<{ value: number; name: string }> = [];
  if (Array.isArray(json)) json.forEach((n, i) => pairs.push({ value: i, name: String(n) }));
  else if (json && typeof json === 'object') {
    Object.entries(json as Record<string, unknown>).forEach(([k, v], i) => {
      if (/^\d+$/.test(k) && (typeof v === 'string' || typeof v === 'number')) pairs.push({ value: Number(k), name: String(v) });
      else if (typeof v === 'number' && Number.isInteger(v)) pairs.push({ value: v, name: k });
      else throw new Error(`${name}: entry ${i + 1} is neither "value": "name" nor "name": value`);
    });
  } else throw new Error(`${name}: expected an object or an array of class names`);
  pairs.sort((a, b) => a.value - b.value);
  return { classes: pairs.map((p) => p.name), valueToClass: pairs.map((p, classId) => ({ value: p.value, classId })) };
}

/** Which folders hold the images and the masks, and how their files pair (the user's flags; defaults when absent). */
export interface PairingOptions {
  /** a folder name matched at any level under the root, or a path relative to it */
  imageFolder?: string;
  maskFolder?: string;
  /** valid-region (field-of-view) masks beside the images, same rules as maskFolder; never taken for the label folder */
  validRegionFolder?: string;
  /** a glob with one {id}: the part of both names that pairs them */
  pairPattern?: string;
  /** instance masks: a folder of per-pixel class maps beside the images (same rules as maskFolder), or a CSV table file relative to the root */
  instanceClasses?: string;
}

/** One place where an image folder and its mask folder sit side by side (train/, test/, a cell line...). */
export interface MaskSite {
  /** the folder holding both, relative to the root ('' for the root itself) */
  parent: string;
  images: string;
  masks: string;
}

/** A place where the image folder pairs with several folders: which one holds the labels is the user's call. */
export interface AmbiguousSite {
  parent: string;
  images: string;
  candidates: string[];
}

const maxSiteDepth = 4;

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function isTypeMapFolder(name: string): boolean {
  return typeMapFolderNames.includes(name.toLowerCase());
}

/** The child folder named by a flag (a bare name) or by default names. */
function childNamed(dirs: string[], wanted: string | undefined, defaults: string[]): string | undefined {
  if (wanted !== undefined) return dirs.find((d) => sameName(d, wanted));
  return dirs.find((d) => defaults.includes(d.toLowerCase()));
}

function imageFilesIn(dir: string): string[] {
  return isDirectory(dir) ? listFilesRecursive(dir).filter(isImageFileName) : [];
}

/** Whether enough of the files pair for the folder to count as masks of the images: evidence, not just one coincidence. */
function pairsWell(imageDir: string, maskDir: string, pairPattern: string | undefined): boolean {
  const images = imageFilesIn(imageDir);
  const masks = imageFilesIn(maskDir);
  if (images.length === 0 || masks.length === 0) return false;
  const { pairs } = pairFiles(images, masks, pairPattern);
  return pairs.length > 0 && pairs.length >= Math.min(images.length, masks.length) / 2;
}

/** The image + mask folder pairs under root (any level up to 4 deep), and the places where the mask folder is ambiguous. */
export function findMaskSites(root: string, options: PairingOptions = {}): { sites: MaskSite[]; ambiguous: AmbiguousSite[] } {
  const sites: MaskSite[] = [];
  const ambiguous: AmbiguousSite[] = [];
  // a path relative to the root names exactly one folder: its parent is the one place to look
  const asPath = (p: string | undefined) => (p !== undefined && /[\\/]/.test(p) ? p.split(/[\\/]+/).filter((s) => s !== '') : null);
  const imagePath = asPath(options.imageFolder);
  const maskPath = asPath(options.maskFolder);
  const visit = (rel: string, depth: number) => {
    const abs = path.join(root, rel);
    const dirs = listDir(abs).dirs.filter((d) => !d.startsWith('.'));
    const relParts = rel === '' ? [] : rel.split('/');
    const here = (p: string[] | null) => p !== null && p.slice(0, -1).join('/') === relParts.join('/');
    const images = imagePath ? (here(imagePath) ? dirs.find((d) => d === imagePath.at(-1)) : undefined) : childNamed(dirs, options.imageFolder, imageDirNames);
    if (images !== undefined) {
      const lastPart = (p: string | undefined) => (p === undefined ? undefined : p.split(/[\\/]+/).filter((s) => s !== '').at(-1));
      const others = dirs.filter((d) => d !== images && ![lastPart(options.validRegionFolder), lastPart(options.instanceClasses)].some((n) => n !== undefined && sameName(d, n)));
      if (options.maskFolder !== undefined) {
        const named = maskPath ? (here(maskPath) ? others.find((d) => d === maskPath.at(-1)) : undefined) : childNamed(others, options.maskFolder, []);
        if (named !== undefined) sites.push({ parent: rel, images, masks: named });
      } else {
        // the evidence: folders whose files pair with the images; a name like masks/ alone does not decide
        // (DRIVE's mask/ is the field of view, its labels are in 1st_manual/)
        let candidates = others.filter((d) => pairsWell(path.join(abs, images), path.join(abs, d), options.pairPattern));
        // a class map folder of instance images (type_map/) pairs too, but it is never the labels when another folder pairs
        if (candidates.length > 1 && candidates.some((d) => !isTypeMapFolder(d))) candidates = candidates.filter((d) => !isTypeMapFolder(d));
        const byName = childNamed(others, undefined, maskDirNames);
        if (candidates.length === 1) sites.push({ parent: rel, images, masks: candidates[0]! });
        else if (candidates.length > 1) ambiguous.push({ parent: rel, images, candidates });
        else if (byName !== undefined && findMaskPair(abs) !== null) sites.push({ parent: rel, images, masks: byName });
      }
    }
    if (depth >= maxSiteDepth) return;
    for (const d of dirs) if (d !== images) visit(rel === '' ? d : `${rel}/${d}`, depth + 1);
  };
  if (isDirectory(root)) visit('', 0);
  // a site inside another site's image or mask folder is part of that one
  return { sites: sites.filter((s) => !sites.some((o) => o !== s && (s.parent.startsWith(`${joinRel(o.parent, o.images)}/`) || s.parent.startsWith(`${joinRel(o.parent, o.masks)}/`)))), ambiguous };
}

function joinRel(a: string, b: string): string {
  return a === '' ? b : `${a}/${b}`;
}

/** The message for a root whose mask folder is ambiguous, naming the option that settles it. */
export function ambiguousMaskMessage(root: string, found: AmbiguousSite[]): string {
  const first = found[0]!;
  const where = first.parent === '' ? root : `${first.parent}/`;
  const choices = first.candidates.length === 2 ? `maskFolder "${first.candidates[0]}" or "${first.candidates[1]}"` : `maskFolder "<folder>" (e.g. maskFolder "${first.candidates[0]}")`;
  return `${where}: the image folder ${first.images}/ pairs with several folders (${first.candidates.map((c) => `${c}/`).join(', ')}); say which one holds the labels: ${choices}`;
}

/** The publisher's split a path names: the first folder called train/training, val/valid/validation or test/testing. */
export function splitOfPath(rel: string): ReturnType<typeof splitFromName> {
  const parts = rel.split('/').slice(0, -1);
  for (const part of parts) {
    const split = splitFromName(part);
    if (split) return split;
  }
  return null;
}

/** Image folders with mask folders beside them (any names, any level), files paired by a shared identifier. */
export function planPairedMasks(root: string, options: PairingOptions = {}): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const { sites, ambiguous } = findMaskSites(root, options);
  if (ambiguous.length > 0) throw new Error(ambiguousMaskMessage(root, ambiguous));
  if (sites.length === 0) {
    const asked = options.imageFolder !== undefined || options.maskFolder !== undefined;
    throw new Error(
      asked
        ? `${root}: no folder ${options.imageFolder ?? 'images/ (or image/, img/)'} with a folder ${options.maskFolder ?? 'of masks'} beside it whose files pair with its images; check imageFolder / maskFolder`
        : `${root}: no images/ + masks/ (or image/ + label/) folders with matching file names; name other folders with imageFolder and maskFolder`,
    );
  }
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const classMap = readClassMapFile(root);
  const classSource = instanceClassSource(root, options.instanceClasses, sites, classMap);
  const shownPairs: Array<{ image: string; mask: string; region?: string }> = [];
  const besideFolders = new Set<string>();
  const rules = new Set<string>();
  for (const site of sites) {
    for (const d of listDir(path.join(root, site.parent)).dirs) if (!d.startsWith('.') && d !== site.images && d !== site.masks) besideFolders.add(d);
    const imageRoot = joinRel(site.parent, site.images);
    const maskRoot = joinRel(site.parent, site.masks);
    const imageFiles: string[] = [];
    for (const rel of listFilesRecursive(path.join(root, imageRoot))) {
      if (isImageFileName(rel)) imageFiles.push(rel);
      else skipped.push({ path: `${imageRoot}/${rel}`, reason: 'not an image file' });
    }
    const maskFiles: string[] = [];
    for (const rel of listFilesRecursive(path.join(root, maskRoot))) {
      if (isImageFileName(rel)) maskFiles.push(rel);
      else skipped.push({ path: `${maskRoot}/${rel}`, reason: 'not an image file' });
    }
    const pairing = pairFiles(imageFiles, maskFiles, options.pairPattern);
    rules.add(pairing.rule);
    const region = options.validRegionFolder !== undefined ? regionPairing(root, site, imageFiles, options.validRegionFolder, options.pairPattern, skipped) : null;
    const typeMapFolder = classSource?.kind === 'folders' ? classSource.folderAt.get(site) : undefined;
    const typeMaps = typeMapFolder !== undefined ? regionPairing(root, site, imageFiles, typeMapFolder, options.pairPattern, skipped, 'class map') : null;
    const maskOf = new Map(pairing.pairs.map((p) => [p.image, p.mask]));
    const unpairedReason = new Map(pairing.unpairedImages.map((u) => [u.file, u.reason]));
    for (const rel of imageFiles) {
      const key = `${imageRoot}/${rel}`;
      const split = splitOfPath(key);
      const item: PlannedItem = { key, file: path.join(root, key), ...(split ? { split } : {}) };
      const maskRel = maskOf.get(rel);
      if (maskRel !== undefined) {
        item.mask = { file: path.join(root, maskRoot, maskRel), relPath: `${maskRoot}/${maskRel}` };
        const shown: { image: string; mask: string; region?: string } = { image: key, mask: item.mask.relPath };
        shownPairs.push(shown);
        if (region !== null) {
          const regionRel = region.regionOf.get(rel);
          if (regionRel !== undefined) {
            item.mask.region = { file: path.join(root, region.folder, regionRel), relPath: `${region.folder}/${regionRel}` };
            shown.region = item.mask.region.relPath;
          } else item.skip = `valid-region mask: ${region.unpairedReason.get(rel) ?? 'none'}${region.folder === '' ? '' : ` in ${region.folder}/`}`;
        }
        if (typeMaps !== null) {
          const typeRel = typeMaps.regionOf.get(rel);
          if (typeRel !== undefined) item.mask.typeMap = { file: path.join(root, typeMaps.folder, typeRel), relPath: `${typeMaps.folder}/${typeRel}` };
          else item.mask.classSourceProblem = `class map: ${typeMaps.unpairedReason.get(rel) ?? 'none'}${typeMaps.folder === '' ? '' : ` in ${typeMaps.folder}/`}`;
        } else if (classSource?.kind === 'folders') {
          item.mask.classSourceProblem = `class map: no folder ${classSource.described} beside ${joinRel(site.parent, site.images)}/`;
        } else if (classSource?.kind === 'table') {
          const rows = tableRowsFor(classSource.table, item.mask.relPath);
          if ('entries' in rows) item.mask.classTable = { relPath: classSource.table.relPath, entries: rows.entries };
          else item.mask.classSourceProblem = rows.problem;
        }
      } else item.skip = `${unpairedReason.get(rel) ?? 'no mask'} in ${maskRoot}/`;
      items.push(item);
    }
    for (const u of pairing.unpairedMasks) skipped.push({ path: `${maskRoot}/${u.file}`, reason: `mask without an image: ${u.reason}` });
  }
  return {
    root,
    format: 'paired-masks',
    kind: 'segmentation',
    classes: classMap?.classes ?? [],
    multiLabel: false,
    ...(classMap ? { maskValueToClass: classMap.valueToClass } : {}),
    publisherSplit: items.some((i) => i.split !== undefined),
    items,
    skipped,
    pairing: { rule: [...rules].join(', '), pairs: shownPairs },
    besideFolders: [...besideFolders].sort(),
    ...(classSource ? { instanceClassSource: classSource.described } : {}),
  };
}

type ClassSource = { kind: 'folders'; folderAt: Map<MaskSite, string>; described: string } | { kind: 'table'; table: InstanceClassTable; described: string };

/**
 * Where the classes of instances come from: the option's folder (beside each
 * site's images) or CSV file (relative to the root); without it a class map
 * folder named like type_map/ beside the images, else instance_classes.csv
 * at the root; null when there is none.
 */
function instanceClassSource(root: string, option: string | undefined, sites: MaskSite[], classMap: ReturnType<typeof readClassMapFile>): ClassSource | null {
  const table = (rel: string): ClassSource => ({ kind: 'table', table: readInstanceClassTable(path.join(root, rel), rel, readInstanceClassNames(classMap)), described: rel });
  if (option !== undefined) {
    if (isFile(path.join(root, option))) return table(option.replace(/\\/g, '/'));
    const named = option.split(/[\\/]+/).filter((p) => p !== '');
    const found = sites.some((site) => (named.length > 1 ? named.slice(0, -1).join('/') === site.parent && isDirectory(path.join(root, option)) : listDir(path.join(root, site.parent)).dirs.some((d) => sameName(d, option))));
    if (!found) throw new Error(`${root}: instanceClasses "${option}" is neither a file under the root nor a folder beside the images`);
    return { kind: 'folders', folderAt: new Map(sites.map((site) => [site, option])), described: `${named.at(-1)}/` };
  }
  const folderAt = new Map<MaskSite, string>();
  for (const site of sites) {
    const found = listDir(path.join(root, site.parent)).dirs.find((d) => isTypeMapFolder(d) && d !== site.masks && d !== site.images);
    if (found !== undefined) folderAt.set(site, found);
  }
  if (folderAt.size > 0) return { kind: 'folders', folderAt, described: [...new Set([...folderAt.values()].map((f) => `${f}/`))].join(', ') };
  return isFile(path.join(root, instanceClassTableName)) ? table(instanceClassTableName) : null;
}

/**
 * The valid-region folder beside a site's images (named like maskFolder) and
 * which region file pairs with which image; region files without an image go
 * to skipped. A site without the folder: every image's reason says so.
 */
function regionPairing(
  root: string,
  site: MaskSite,
  imageFiles: string[],
  regionFolder: string,
  pairPattern: string | undefined,
  skipped: ImportPlan['skipped'],
  what = 'valid-region mask',
): { folder: string; regionOf: Map<string, string>; unpairedReason: Map<string, string> } {
  const parts = regionFolder.split(/[\\/]+/).filter((p) => p !== '');
  const asPath = parts.length > 1;
  const name = asPath ? (parts.slice(0, -1).join('/') === site.parent ? parts.at(-1) : undefined) : listDir(path.join(root, site.parent)).dirs.find((d) => sameName(d, regionFolder));
  if (name === undefined || !isDirectory(path.join(root, site.parent, name))) {
    const where = joinRel(site.parent, site.images);
    return { folder: '', regionOf: new Map(), unpairedReason: new Map(imageFiles.map((f) => [f, `no folder ${regionFolder} beside ${where}/`])) };
  }
  const folder = joinRel(site.parent, name);
  const regionFiles: string[] = [];
  for (const rel of listFilesRecursive(path.join(root, folder))) {
    if (isImageFileName(rel)) regionFiles.push(rel);
    else skipped.push({ path: `${folder}/${rel}`, reason: 'not an image file' });
  }
  const pairing = pairFiles(imageFiles, regionFiles, pairPattern);
  for (const u of pairing.unpairedMasks) skipped.push({ path: `${folder}/${u.file}`, reason: `${what} without an image: ${u.reason}` });
  return { folder, regionOf: new Map(pairing.pairs.map((p) => [p.image, p.mask])), unpairedReason: new Map(pairing.unpairedImages.map((u) => [u.file, u.reason])) };
}

export function isPairedMaskDir(dir: string): boolean {
  return isDirectory(dir) && findMaskPair(dir) !== null;
}

/**
 * Image and mask folders under dir at any level (DRIVE's training/images +
 * training/1st_manual, a cell line's img/ + gt/). Throws, naming the option,
 * when the image folder pairs with several folders.
 */
export function hasMaskSites(dir: string, options: PairingOptions = {}): boolean {
  if (!isDirectory(dir)) return false;
  const { sites, ambiguous } = findMaskSites(dir, options);
  if (ambiguous.length > 0) throw new Error(ambiguousMaskMessage(dir, ambiguous));
  return sites.length > 0;
}
