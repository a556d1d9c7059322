/** Hostile files written on the fly: pixel bombs and zip bombs. Nothing here is ever decoded by the test itself. */
import { writeFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { encode } from 'fast-png';

export function tinyPng(width = 8, height = 8): Uint8Array {
  return encode({ width, height, data: new Uint8Array(width * height).fill(128), channels: 1, depth: 8 });
}

/** Deflated n zero bytes (zlib or raw), fed in 8 MiB pieces so the zeros never sit in memory at once. */
export async function deflateZeros(n: number, raw = false): Promise<Buffer> {
  const stream = raw ? zlib.createDeflateRaw({ level: 9 }) : zlib.createDeflate({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const piece = Buffer.alloc(8 << 20);
  for (let left = n; left > 0; left -= piece.length) {
    if (!stream.write(piece.subarray(0, Math.min(left, piece.length)))) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await ended;
  return Buffer.concat(out);
}

/** CRC-32 of n zero bytes, in pieces. */
function crcOfZeros(n: number, start: number): number {
  const piece = Buffer.alloc(8 << 20);
  let crc = start;
  for (let left = n; left > 0; left -= piece.length) crc = zlib.crc32(piece.subarray(0, Math.min(left, piece.length)), crc);
  return crc;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A greyscale PNG of width x height zero pixels: small on disk (zeros deflate ~1000:1), width*height bytes
 * decoded. fullData false writes only the first row's data: a header-only bomb (100000x100000 in a few bytes).
 */
export async function writePixelBombPng(file: string, width: number, height: number, fullData: boolean): Promise<void> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const idat = await deflateZeros((fullData ? height : 1) * (width + 1));
  writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]));
}

/** A JPEG whose SOF0 header claims width x height (no scan data worth decoding). */
export function writeJpegHeaderBomb(file: string, width: number, height: number): void {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00]);
  writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]));
}

function npyHeader(shape: number[]): Buffer {
  let dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

interface ZipEntrySpec {
  name: string;
  /** stored bytes before the zeros (the .npy header) */
  prefix: Buffer;
  zeros: number;
  /** the uncompressed size the headers declare (a liar declares less than it holds) */
  declaredSize?: number;
}

/** A zip of deflated entries, each a prefix followed by many zeros: the npz zip bomb. */
export async function writeZeroZip(file: string, entries: ZipEntrySpec[]): Promise<void> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const realSize = entry.prefix.length + entry.zeros;
    // prefix + zeros as one raw deflate stream: deflate the prefix non-finally, then the zeros
    const data = Buffer.concat([zlib.deflateRawSync(entry.prefix, { finishFlush: zlib.constants.Z_SYNC_FLUSH }), await deflateZeros(entry.zeros, true)]);
    const crc = crcOfZeros(entry.zeros, zlib.crc32(entry.prefix));
    const size = entry.declaredSize ?? realSize;
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(Math.min(size, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(Math.min(size, 0xffffffff), 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += 30 + name.length + data.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, centralBytes, end]));
}

/** An npz whose train_images inflate to about `bytes` (28x28 uint8 images), with matching labels. */
export async function writeNpzBomb(file: string, bytes: number, options: { lieAboutSize?: boolean } = {}): Promise<void> {
  const n = Math.floor(bytes / 784);
  const imagesHeader = npyHeader([n, 28, 28]);
  const labelsHeader = npyHeader([n, 1]);
  await writeZeroZip(file, [
    { name: 'train_images.npy', prefix: imagesHeader, zeros: n * 784, ...(options.lieAboutSize ? { declaredSize: 4096 } : {}) },
    { name: 'train_labels.npy', prefix: labelsHeader, zeros: n },
  ]);
}

/** A distinct greyscale noise PNG per seed (imports never see two as duplicates). */
export function noisePng(side: number, seed: number): Uint8Array {
  let state = (seed * 2654435761) >>> 0 || 1;
  const data = new Uint8Array(side * side);
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    data[i] = state & 0xff;
  }
  return encode({ width: side, height: side, data, channels: 1, depth: 8 });
}
