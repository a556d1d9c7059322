/**
 * Dataset layouts generated in code for the importer tests: small PNGs
 * (fast-png), annotation files, CSVs and MedMNIST-like .npz archives.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import { zipSync } from 'fflate';

export function tempDir(prefix = 'umedpt-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(file: string, data: string | Uint8Array): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

/** A grey or RGB PNG whose pixels depend on seed, so different seeds give different bytes. */
export function pngBytes(options: { width?: number; height?: number; channels?: 1 | 3; depth?: 8 | 16; seed?: number } = {}): Uint8Array {
  const { width = 16, height = 12, channels = 1, depth = 8, seed = 1 } = options;
  const n = width * height * channels;
  const data = depth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = depth === 16 ? (i * 257 + seed * 7919) % 65536 : (i * 3 + seed * 31) % 256;
  // the seed itself in the first samples: different seeds never give identical files
  if (depth === 16) data[0] = seed % 65536;
  else {
    data[0] = seed & 255;
    if (n > 1) data[1] = (seed >> 8) & 255;
  }
  return encode({ width, height, channels, depth, data });
}

/** An integer mask PNG: left half value a, right half value b. */
export function maskPngBytes(width: number, height: number, a: number, b: number): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = x < width / 2 ? a : b;
  return encode({ width, height, channels: 1, depth: 8, data });
}

export function writePng(file: string, options?: Parameters<typeof pngBytes>[0]): string {
  return writeFile(file, pngBytes(options));
}

/** A .npy (version 1.0) of uint8 data. */
export function npyBytes(shape: number[], data: Uint8Array): Uint8Array {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** A MedMNIST-like archive: counts per split, 8x8 RGB images, labels 0..classes-1. */
export function medmnistNpz(counts: { train: number; val: number; test: number }, classes = 5, side = 8): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [split, n] of Object.entries(counts)) {
    const images = new Uint8Array(n * side * side * 3);
    const perImage = side * side * 3;
    // the image index enters every pixel, so no two samples are identical
    for (let i = 0; i < images.length; i++) images[i] = ((i % perImage) * 7 + Math.floor(i / perImage) * 13 + n) % 256;
    const labels = new Uint8Array(n).map((_, i) => i % classes);
    entries[`${split}_images.npy`] = npyBytes([n, side, side, 3], images);
    entries[`${split}_labels.npy`] = npyBytes([n, 1], labels);
  }
  return zipSync(entries);
}

/** A PNG with one byte of its IDAT chunk flipped: the CRC no longer matches. */
export function pngWithBrokenCrc(): Uint8Array {
  const bytes = pngBytes({ seed: 9 }).slice();
  const idat = Buffer.from(bytes).indexOf('IDAT');
  bytes[idat + 6] = bytes[idat + 6]! ^ 0xff;
  return bytes;
}

export function vocXml(fileName: string, width: number, height: number, objects: Array<{ name?: string; box?: [number, number, number, number] | null }>): string {
  const objectXml = objects
    .map(
      (o) =>
        `<object>${o.name !== undefined ? `<name>${o.name}</name>` : ''}${
          o.box === null ? '' : `<bndbox><xmin>${o.box![0]}</xmin><ymin>${o.box![1]}</ymin><xmax>${o.box![2]}</xmax><ymax>${o.box![3]}</ymax></bndbox>`
        }</object>`,
    )
    .join('');
  return `<annotation><filename>${fileName}</filename><size><width>${width}</width><height>${height}</height><depth>1</depth></size>${objectXml}</annotation>`;
}
