#!/usr/bin/env node
// Draws the UMedPT Studio icon in code and writes every file the packagers
// use: NxN.png (Linux), icon.png (512), icon.ico (Windows), icon.icns (macOS).
// The motif: an encoder pyramid (feature maps shrinking upwards) feeding
// three task heads (classification, segmentation, detection).
// Deterministic: the unit test regenerates the files and compares bytes.
//   node resources/icons/generateIcons.js
import { encode } from 'fast-png';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const pngSizes = [16, 32, 48, 64, 128, 256, 512];
const icoSizes = [16, 32, 48, 256];
/** ICNS types holding PNG data (macOS 10.7+) */
const icnsTypes = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09' };

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

function inRoundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
}

function distanceToSegment(x, y, ax, ay, bx, by) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

const bars = [0, 1, 2, 3].map((i) => {
  const width = 0.7 - i * 0.16;
  const bottom = 0.84 - i * 0.14;
  return { left: 0.5 - width / 2, right: 0.5 + width / 2, top: bottom - 0.1, bottom, color: mix(hex('#2a9d8f'), hex('#9be7ff'), i / 3) };
});
const apex = { x: 0.5, y: bars[3].top };
const heads = [
  { x: 0.27, y: 0.2, color: hex('#ffb703') },
  { x: 0.5, y: 0.15, color: hex('#ef476f') },
  { x: 0.73, y: 0.2, color: hex('#06d6a0') },
];

/** Colour (RGBA 0..255, straight alpha) of the icon at a point of the unit square. */
function shade(x, y) {
  let color = null;
  let alpha = 0;
  const paint = (rgb, a) => {
    color = color ? mix(color, rgb, a) : rgb;
    alpha = alpha + a * (1 - alpha);
  };
  if (!inRoundedRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return [0, 0, 0, 0];
  paint(mix(hex('#1d3557'), hex('#0b1526'), y), 1);
  if (heads.some((head) => distanceToSegment(x, y, apex.x, apex.y, head.x, head.y) < 0.016)) paint([255, 255, 255], 0.75);
  for (const bar of bars) if (inRoundedRect(x, y, bar.left, bar.top, bar.right, bar.bottom, 0.03)) paint(bar.color, 1);
  for (const head of heads) if (Math.hypot(x - head.x, y - head.y) < 0.06) paint(head.color, 1);
  return [...color, alpha * 255];
}

/** size x size RGBA pixels, 4x4 supersampled for smooth edges. */
export function renderIcon(size) {
  const samples = 4;
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          // average premultiplied colour so transparent samples do not darken edges
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = (py * size + px) * 4;
      data[o] = a ? Math.round(r / a) : 0;
      data[o + 1] = a ? Math.round(g / a) : 0;
      data[o + 2] = a ? Math.round(b / a) : 0;
      data[o + 3] = Math.round(a / (samples * samples));
    }
  }
  return data;
}

export function iconPng(size) {
  return encode({ width: size, height: size, data: renderIcon(size), channels: 4, depth: 8 });
}

/** Windows .ico holding PNG images (allowed since Windows Vista). */
export function encodeIco(pngsBySize) {
  const sizes = Object.keys(pngsBySize).map(Number);
  const header = new DataView(new ArrayBuffer(6 + 16 * sizes.length));
  header.setUint16(2, 1, true);
  header.setUint16(4, sizes.length, true);
  let offset = header.byteLength;
  sizes.forEach((size, i) => {
    const entry = 6 + 16 * i;
    header.setUint8(entry, size >= 256 ? 0 : size);
    header.setUint8(entry + 1, size >= 256 ? 0 : size);
    header.setUint16(entry + 4, 1, true);
    header.setUint16(entry + 6, 32, true);
    header.setUint32(entry + 8, pngsBySize[size].length, true);
    header.setUint32(entry + 12, offset, true);
    offset += pngsBySize[size].length;
  });
  return Buffer.concat([new Uint8Array(header.buffer), ...sizes.map((s) => pngsBySize[s])]);
}

/** macOS .icns: "icns", total length, then (type, length, PNG) entries, big-endian. */
export function encodeIcns(pngsBySize) {
  const entries = Object.entries(pngsBySize).map(([size, png]) => {
    const type = icnsTypes[size];
    if (!type) throw new Error(`generateIcons: no ICNS type for ${size}px`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

/** Every icon file, by name. */
export function iconFiles() {
  const pngs = Object.fromEntries(pngSizes.map((size) => [size, iconPng(size)]));
  const pick = (sizes) => Object.fromEntries(sizes.map((s) => [s, pngs[s]]));
  return {
    ...Object.fromEntries(pngSizes.map((size) => [`${size}x${size}.png`, pngs[size]])),
    'icon.png': pngs[512],
    'icon.ico': encodeIco(pick(icoSizes)),
    'icon.icns': encodeIcns(pick(Object.keys(icnsTypes).map(Number))),
  };
}

export async function writeIcons(dir) {
  await mkdir(dir, { recursive: true });
  const files = iconFiles();
  for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
  return Object.keys(files);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  console.log(`wrote ${(await writeIcons(dir)).join(', ')} to ${dir}`);
}
