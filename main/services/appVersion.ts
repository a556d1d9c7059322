import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

let cached: string | null = null;

/** The version in package.json (works from source and from the packaged app). */
export function readAppVersion(): string {
  if (cached) return cached;
  const candidates = [
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'),
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../package.json'),
    path.resolve(process.cwd(), 'package.json'),
  ];
  for (const file of candidates) {
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'umedpt-studio' && pkg.version) return (cached = pkg.version);
    } catch {
      // try the next location
    }
  }
  return (cached = '0.0.0');
}
