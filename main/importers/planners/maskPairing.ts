import { stemOf } from '../fileWalk';

/**
 * Pairs image files with mask files by an identifier both names share,
 * whatever else the names hold (`21_training.tif` with `21_manual1.gif`,
 * `img_007.png` with `007_seg.png`). Pure: names in, pairs out.
 */

export interface FilePairing {
  pairs: Array<{ image: string; mask: string; id: string }>;
  /** image files with no mask, with the reason */
  unpairedImages: Array<{ file: string; reason: string }>;
  /** mask files with no image, with the reason */
  unpairedMasks: Array<{ file: string; reason: string }>;
  /** how the identifier was read: 'stem', 'distinct tokens', 'leading number' or the user's pattern */
  rule: string;
}

type KeyOf = (file: string) => string | null;

function tokensOf(file: string): string[] {
  return stemOf(file)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '')
    // 007 and 7 name the same case
    .map((t) => (/^\d+$/.test(t) ? String(Number(t)) : t));
}

/** The stem without the tokens every file of its folder shares ("training", "manual1"): what tells the files apart. */
function distinctTokensKey(files: string[]): KeyOf {
  const sharedByFolder = new Map<string, Set<string>>();
  const count = new Map<string, number>();
  for (const file of files) {
    const folder = folderOf(file);
    const tokens = tokensOf(file);
    const common = sharedByFolder.get(folder);
    sharedByFolder.set(folder, common ? new Set([...common].filter((t) => tokens.includes(t))) : new Set(tokens));
    count.set(folder, (count.get(folder) ?? 0) + 1);
  }
  return (file) => {
    const folder = folderOf(file);
    // a lone file shares its tokens with nobody: its whole stem tells it apart
    const shared = (count.get(folder) ?? 0) > 1 ? (sharedByFolder.get(folder) ?? new Set<string>()) : new Set<string>();
    const left = tokensOf(file).filter((t) => !shared.has(t));
    return left.length > 0 ? left.join('_') : null;
  };
}

function leadingNumberKey(file: string): string | null {
  const match = /\d+/.exec(stemOf(file));
  return match ? String(Number(match[0])) : null;
}

/** Folder part of a relative path ("a/b/c.png" -> "a/b/"), so that sub-folders (splits, cases) pair among themselves. */
function folderOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
}

/** Keys that name exactly one file; the rest are ambiguous. */
function uniqueKeys(files: string[], keyOf: KeyOf): { byKey: Map<string, string>; ambiguous: Set<string> } {
  const byKey = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const file of files) {
    const key = keyOf(file);
    if (key === null) continue;
    const full = `${folderOf(file)}${key}`;
    if (byKey.has(full)) ambiguous.add(full);
    else byKey.set(full, file);
  }
  for (const key of ambiguous) byKey.delete(key);
  return { byKey, ambiguous };
}

function pairWith(images: string[], masks: string[], imageKey: KeyOf, maskKey: KeyOf, rule: string): FilePairing {
  const img = uniqueKeys(images, imageKey);
  const msk = uniqueKeys(masks, maskKey);
  const pairs: FilePairing['pairs'] = [];
  const unpairedImages: FilePairing['unpairedImages'] = [];
  const used = new Set<string>();
  for (const file of images) {
    const key = imageKey(file);
    const full = key === null ? null : `${folderOf(file)}${key}`;
    if (full === null) unpairedImages.push({ file, reason: `no identifier in its name (${rule})` });
    else if (img.ambiguous.has(full)) unpairedImages.push({ file, reason: `its identifier "${key}" names several images` });
    else if (msk.ambiguous.has(full)) unpairedImages.push({ file, reason: `its identifier "${key}" names several masks` });
    else {
      const mask = msk.byKey.get(full);
      if (mask === undefined) unpairedImages.push({ file, reason: `no mask with the ${rule === 'same name' ? 'stem' : 'identifier'} "${key}"` });
      else {
        pairs.push({ image: file, mask, id: key! });
        used.add(mask);
      }
    }
  }
  const unpairedMasks = masks.filter((m) => !used.has(m)).map((file) => ({ file, reason: maskKey(file) === null ? `no identifier in its name (${rule})` : 'no image with its identifier' }));
  return { pairs, unpairedImages, unpairedMasks, rule };
}

/**
 * Turns a glob with one {id} into a key reader: `{id}_*` reads "21" from both
 * `21_training.tif` and `21_manual1.gif`. `*` matches within a name, `?` one
 * character; the glob is matched against the file name (or the relative path
 * when it holds a '/'), extension included unless the glob stops before it.
 */
export function keyFromGlob(glob: string): KeyOf {
  const parts = glob.split('{id}');
  if (parts.length !== 2) throw new Error(`pairPattern "${glob}" needs exactly one {id}: the part of the name both files share, e.g. "{id}_*"`);
  const toRegex = (s: string) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/[{}]/g, '\\$&');
  const regex = new RegExp(`^${toRegex(parts[0]!)}([^/]+?)${toRegex(parts[1]!)}$`, 'i');
  const withPath = glob.includes('/');
  return (file) => {
    const name = withPath ? file : file.slice(file.lastIndexOf('/') + 1);
    const stem = withPath ? `${folderOf(file)}${stemOf(file)}` : stemOf(file);
    // the glob may stop before the extension or name it
    const match = regex.exec(stem) ?? regex.exec(name);
    return match ? match[1]! : null;
  };
}

/**
 * Pairs images and masks (paths relative to their folders). With a user glob,
 * that rule; else the first of these that pairs the most images: the same
 * stem, the stem's distinct tokens, the leading number.
 */
export function pairFiles(images: string[], masks: string[], pairPattern?: string): FilePairing {
  if (pairPattern !== undefined) {
    // one glob for both names, or "image glob|mask glob"
    const [imageGlob, maskGlob, ...rest] = pairPattern.split('|');
    if (rest.length > 0) throw new Error(`pairPattern "${pairPattern}" holds more than two globs: give one for both names, or "image glob|mask glob"`);
    return pairWith(images, masks, keyFromGlob(imageGlob!), keyFromGlob(maskGlob ?? imageGlob!), `pattern ${pairPattern}`);
  }
  const stem: KeyOf = (f) => stemOf(f);
  const candidates = [
    pairWith(images, masks, stem, stem, 'same name'),
    pairWith(images, masks, distinctTokensKey(images), distinctTokensKey(masks), 'shared identifier'),
    pairWith(images, masks, leadingNumberKey, leadingNumberKey, 'leading number'),
  ];
  return candidates.reduce((best, next) => (next.pairs.length > best.pairs.length ? next : best));
}
