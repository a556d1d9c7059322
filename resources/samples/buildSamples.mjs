#!/usr/bin/env node
// Rebuilds resources/samples/ (the small real datasets `umedpt demo` imports)
// from the full datasets in ../shared/datasets (or the folder given as the
// first argument). Run: node resources/samples/buildSamples.mjs [datasetsDir]
// Picks fixed files, so the output is the same on every run.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(process.argv[2] ?? path.join(here, '..', '..', '..', 'shared', 'datasets'));

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

// BCCD (Pascal VOC detection): the first images of each publisher split.
function buildBccd() {
  const from = path.join(source, 'bccd', 'BCCD');
  const to = fresh(path.join(here, 'bccd'));
  const voc = path.join(to, 'BCCD');
  for (const sub of ['Annotations', 'JPEGImages', path.join('ImageSets', 'Main')]) mkdirSync(path.join(voc, sub), { recursive: true });
  const take = { train: 24, val: 8, test: 8 };
  for (const [split, count] of Object.entries(take)) {
    const ids = readFileSync(path.join(from, 'ImageSets', 'Main', `${split}.txt`), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(0, count);
    for (const id of ids) {
      copyFileSync(path.join(from, 'Annotations', `${id}.xml`), path.join(voc, 'Annotations', `${id}.xml`));
      copyFileSync(path.join(from, 'JPEGImages', `${id}.jpg`), path.join(voc, 'JPEGImages', `${id}.jpg`));
    }
    writeFileSync(path.join(voc, 'ImageSets', 'Main', `${split}.txt`), `${ids.join('\n')}\n`);
  }
  copyFileSync(path.join(source, 'bccd', 'LICENSE'), path.join(to, 'LICENSE'));
}

// ISBI 2012 EM (segmentation): six image / label pairs.
function buildIsbi() {
  const from = path.join(source, 'isbi2012-em', 'data', 'membrane', 'train');
  const to = fresh(path.join(here, 'isbi2012-em'));
  mkdirSync(path.join(to, 'image'));
  mkdirSync(path.join(to, 'label'));
  for (let i = 0; i < 6; i++) {
    copyFileSync(path.join(from, 'image', `${i}.png`), path.join(to, 'image', `${i}.png`));
    copyFileSync(path.join(from, 'label', `${i}.png`), path.join(to, 'label', `${i}.png`));
  }
  // label value 0 marks membranes, 255 the inside of cells
  writeFileSync(path.join(to, 'classes.json'), `${JSON.stringify({ 0: 'membrane', 255: 'cell' }, null, 2)}\n`);
  copyFileSync(path.join(source, 'isbi2012-em', 'LICENSE'), path.join(to, 'LICENSE'));
}

// RetinaMNIST (classification): the first 200 / 40 / 40 images of train / val / test.
function parseNpy(bytes, name) {
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes[0] !== 0x93 || magic !== 'NUMPY') throw new Error(`${name}: not a .npy array`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes[8] | (bytes[9] << 8) : bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  if (!header.includes("'|u1'")) throw new Error(`${name}: expected uint8 data, header ${header}`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return { shape, data: bytes.subarray(start + headerLength) };
}

function writeNpy(shape, data) {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // numpy pads the header with spaces so the data starts at a multiple of 64 bytes
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

function buildRetinaMnist() {
  const to = fresh(path.join(here, 'retinamnist'));
  const entries = unzipSync(readFileSync(path.join(source, 'retinamnist', 'retinamnist.npz')));
  const take = { train: 200, val: 40, test: 40 };
  const out = {};
  for (const [split, count] of Object.entries(take)) {
    for (const kind of ['images', 'labels']) {
      const key = `${split}_${kind}.npy`;
      const { shape, data } = parseNpy(entries[key], key);
      const perItem = shape.slice(1).reduce((a, b) => a * b, 1);
      out[key] = writeNpy([count, ...shape.slice(1)], data.subarray(0, count * perItem));
    }
  }
  writeFileSync(path.join(to, 'retinamnist.npz'), zipSync(out, { level: 9 }));
}

buildBccd();
buildIsbi();
buildRetinaMnist();
console.log(`samples rebuilt in ${here} from ${source}`);
