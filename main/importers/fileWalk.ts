import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under root (relative, '/'-separated, sorted), following no symlinks out of it. */
export function listFilesRecursive(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk(root, '');
  return out;
}

export function listDir(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
  }
  return { files: files.sort(), dirs: dirs.sort() };
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

const imageExtensions = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.bmp', '.gif', '.dcm', '.dicom', '.nii', '.nii.gz'];

export function isImageFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return imageExtensions.some((ext) => lower.endsWith(ext));
}

/** File name without its image extension (handles .nii.gz). */
export function stemOf(name: string): string {
  const base = name.split('/').pop()!;
  const lower = base.toLowerCase();
  if (lower.endsWith('.nii.gz')) return base.slice(0, -7);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Whether an existing abs (inside root by name) really lies outside root: a symlink on the way leads out. */
function leavesThroughLink(root: string, abs: string): boolean {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return false; // missing: reported as missing, never read
  }
  const rel = path.relative(realpathSync(root), real);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel);
}

/**
 * Resolves a path named by an annotation file against the dataset root and
 * refuses one that escapes it (../, absolute paths elsewhere).
 */
export function resolveInsideRoot(root: string, named: string, relativeTo: string = root): { abs: string; rel: string } | { error: string } {
  const abs = path.resolve(relativeTo, named);
  const rel = path.relative(root, abs);
  // the named path itself is the file's contents: the message says what is wrong, not what it says
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { error: 'the path it names escapes the dataset root' };
  if (leavesThroughLink(root, abs)) return { error: 'the path it names leads out of the dataset root through a symbolic link' };
  return { abs, rel: rel.split(path.sep).join('/') };
}
