/**
 * Preprocessing cache: turns a task's source samples (any size, source bit
 * depth) into training-size, normalised TaskSamples once, and keeps them in
 * one binary file per (source ids + settings) under a cache folder, so later
 * runs with the same data and settings load them instead of decoding again.
 *
 * File layout (little-endian): "UMPC" | u32 format version | u32 header bytes |
 * JSON header | zero padding to 4 bytes | per sample: Float32 image
 * (size*size*3), then the Uint8 mask (size*size) if any, padded to 4 bytes.
 * Files are written to a temporary name and renamed, so a reader never sees
 * half a file; a damaged file is rebuilt.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../files/atomicFile';
import { type PixelBox, type TaskSample } from './taskSample';
import { type NormalizationSpec, normalizeImage } from './normalize';
import { toThreeChannels } from './channels';
import { resizeImage } from './resize';
import { boxToInput, letterbox, maskToInput, type Letterbox } from '../../../shared/letterbox';

/** One source sample at its own resolution and depth (a DecodedImage plus labels fits). */
export interface SourceSample {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
  channels: number;
  /** interleaved pixels at source depth (8/16-bit, signed, float) */
  data: ArrayLike<number>;
  label?: number | number[];
  /** width*height class ids */
  mask?: ArrayLike<number>;
  /** in source pixels */
  boxes?: PixelBox[];
  group?: string;
}

export interface PreprocessSource {
  /** stable id per sample (content hash, or image id + label revision); part of the cache key */
  ids: readonly string[];
  load(index: number): SourceSample | Promise<SourceSample>;
}

export interface PreprocessSettings {
  /** output side in pixels (multiple of 32) */
  size: number;
  normalization: NormalizationSpec;
}

export interface PreprocessResult {
  samples: TaskSample[];
  cacheHit: boolean;
  file: string;
  key: string;
  /** why an existing file was not used (damaged), if so */
  rebuiltBecause?: string;
}

const MAGIC = 'UMPC';
// 2: letterboxed (1 stretched each image to the square)
const FORMAT_VERSION = 2;

/** Window of a source's full integer range, e.g. 0..65535 for 16-bit: keeps 16-bit detail instead of squashing to 8 bits. */
export function fullRangeWindow(bitDepth: number, signed = false): NormalizationSpec {
  const levels = 2 ** bitDepth;
  return signed ? { kind: 'window', low: -levels / 2, high: levels / 2 - 1 } : { kind: 'window', low: 0, high: levels - 1 };
}

/**
 * Pure: letterbox into the square input (shared/letterbox: one scale for both
 * axes, the image centred), then normalise and make 3 channels. The image is
 * resized linearly, the mask by nearest neighbour, boxes by the same affine
 * map; the padding is 0 in the normalised image and outsideImageClass in the
 * mask (ignored by the loss and the metrics).
 */
export function preprocessSample(source: SourceSample, settings: PreprocessSettings, id = 'sample'): TaskSample {
  const { width, height, channels } = source;
  const size = settings.size;
  if (!Number.isInteger(size) || size < 32 || size % 32 !== 0) throw new Error(`preprocess: size must be a multiple of 32, got ${size}`);
  if (!(width > 0 && height > 0) || source.data.length !== width * height * channels) {
    throw new Error(`preprocess ${id}: ${source.data.length} values do not form a ${width}x${height} image with ${channels} channels`);
  }
  if (source.mask && source.mask.length !== width * height) {
    throw new Error(`preprocess ${id}: mask has ${source.mask.length} pixels but the image is ${width}x${height}`);
  }
  const box = letterbox(width, height, size);
  const { contentWidth: cw, contentHeight: ch } = box;
  const resized = width === cw && height === ch ? source.data : resizeImage(source.data, width, height, channels, cw, ch);
  const content = toThreeChannels(normalizeImage(resized, channels, settings.normalization), channels);
  const image = cw === size && ch === size ? content : padInto(content, box);
  const sample: TaskSample = { size, image };
  if (source.label !== undefined) sample.label = source.label;
  if (source.mask) sample.mask = maskToInput(source.mask, box);
  if (source.boxes) sample.boxes = source.boxes.map((b) => boxToInput(b, box));
  if (source.group !== undefined) sample.group = source.group;
  return sample;
}

/** The content (cw x ch x 3) placed at the letterbox offset in a zeroed size x size x 3 input. */
function padInto(content: Float32Array, g: Letterbox): Float32Array {
  const out = new Float32Array(g.size * g.size * 3);
  for (let y = 0; y < g.contentHeight; y++) {
    out.set(content.subarray(y * g.contentWidth * 3, (y + 1) * g.contentWidth * 3), ((y + g.offsetY) * g.size + g.offsetX) * 3);
  }
  return out;
}

export function preprocessCacheKey(ids: readonly string[], settings: PreprocessSettings): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: FORMAT_VERSION, size: settings.size, normalization: settings.normalization, count: ids.length }));
  for (const id of ids) hash.update(`\n${id}`);
  return hash.digest('hex');
}

interface HeaderEntry {
  size: number;
  label?: number | number[];
  boxes?: PixelBox[];
  group?: string;
  mask: boolean;
}

const pad4 = (n: number): number => (n + 3) & ~3;

export function encodePreprocessed(samples: readonly TaskSample[]): Uint8Array {
  const entries: HeaderEntry[] = samples.map((s) => {
    const e: HeaderEntry = { size: s.size, mask: s.mask !== undefined };
    if (s.label !== undefined) e.label = s.label;
    if (s.boxes) e.boxes = s.boxes;
    if (s.group !== undefined) e.group = s.group;
    return e;
  });
  const header = new TextEncoder().encode(JSON.stringify({ samples: entries }));
  let total = pad4(12 + header.length);
  for (const s of samples) total += s.image.byteLength + (s.mask ? pad4(s.mask.byteLength) : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  let offset = pad4(12 + header.length);
  for (const s of samples) {
    out.set(new Uint8Array(s.image.buffer, s.image.byteOffset, s.image.byteLength), offset);
    offset += s.image.byteLength;
    if (s.mask) {
      out.set(s.mask, offset);
      offset += pad4(s.mask.byteLength);
    }
  }
  return out;
}

/** Decodes a cache file's bytes; image arrays are views into one buffer (no copy). */
export function decodePreprocessed(bytes: Uint8Array, file = 'cache file'): TaskSample[] {
  // Float32 views need 4-byte alignment: copy once if the buffer is not aligned.
  const buf = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  if (buf.length < 12 || new TextDecoder().decode(buf.subarray(0, 4)) !== MAGIC) throw new Error(`${file}: not a preprocessing cache file`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new Error(`${file}: cache format ${version}, expected ${FORMAT_VERSION}`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > buf.length) throw new Error(`${file}: truncated header`);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + headerLength))) as { samples: HeaderEntry[] };
  let offset = pad4(12 + headerLength);
  const samples = header.samples.map((e, i) => {
    const pixels = e.size * e.size;
    const end = offset + pixels * 12 + (e.mask ? pad4(pixels) : 0);
    if (end > buf.length) throw new Error(`${file}: truncated at sample ${i}`);
    const sample: TaskSample = { size: e.size, image: new Float32Array(buf.buffer, buf.byteOffset + offset, pixels * 3) };
    offset += pixels * 12;
    if (e.mask) {
      sample.mask = new Uint8Array(buf.buffer, buf.byteOffset + offset, pixels);
      offset += pad4(pixels);
    }
    if (e.label !== undefined) sample.label = e.label;
    if (e.boxes) sample.boxes = e.boxes;
    if (e.group !== undefined) sample.group = e.group;
    return sample;
  });
  if (offset !== buf.length) throw new Error(`${file}: ${buf.length - offset} unexpected trailing bytes`);
  return samples;
}

/**
 * Returns the preprocessed samples of a source: from the cache file when one
 * exists for the same ids and settings, else built (source.load for every id)
 * and written to the cache.
 */
export async function loadOrBuildPreprocessed(
  source: PreprocessSource,
  settings: PreprocessSettings,
  cacheDir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<PreprocessResult> {
  const key = preprocessCacheKey(source.ids, settings);
  const file = path.join(cacheDir, `${key}.umpc`);
  let rebuiltBecause: string | undefined;
  try {
    const samples = decodePreprocessed(await readFile(file), file);
    if (samples.length === source.ids.length) return { samples, cacheHit: true, file, key };
    rebuiltBecause = `${file}: holds ${samples.length} samples, expected ${source.ids.length}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rebuiltBecause = (err as Error).message;
  }
  const samples: TaskSample[] = [];
  for (let i = 0; i < source.ids.length; i++) {
    const id = source.ids[i] as string;
    samples.push(preprocessSample(await source.load(i), settings, id));
    onProgress?.(i + 1, source.ids.length);
  }
  // a cache: rebuilt when lost, so no fsync
  writeFileAtomic(file, encodePreprocessed(samples), { durable: false });
  const result: PreprocessResult = { samples, cacheHit: false, file, key };
  if (rebuiltBecause) result.rebuiltBecause = rebuiltBecause;
  return result;
}
