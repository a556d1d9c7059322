import { inflateRawSync } from 'node:zlib';
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import type { DicomPixelModule } from './dicomPixelModule';
import { decodeDicomRleFrame } from './dicomRleDecoder';
import type { PixelEncoding } from './dicomTransferSyntaxes';
import { decodeDctJpeg } from './jpegFile';
import { createJpeg2000Decoder, createJpegLsDecoder, runWasmDecoder, type WasmDecodedFrame } from './wasmCodecs';

/**
 * Samples of one decoded frame as the codec gives them: integers with the
 * source's bits, pixel-interleaved. Sign and rescale come later.
 */
export interface CodecFrame {
  /** Uint32Array: 32-bit integers (RT Dose); Float32Array: float pixel data */
  samples: Uint8Array | Uint16Array | Int16Array | Uint32Array | Float32Array;
  /** the codec already turned YCbCr into RGB (baseline JPEG) */
  convertedToRgb: boolean;
  /** bits per sample in the codestream, where the codec says (may be fewer than Bits Stored claims) */
  precision?: number;
}

function checkSize(module: DicomPixelModule, width: number, height: number, channels: number, codec: string): void {
  // The wasm codecs report an empty frame rather than throw when the codestream is damaged.
  if (width === 0 || height === 0) throw new Error(`the ${codec} codestream is damaged (no image could be decoded from it)`);
  if (width !== module.columns || height !== module.rows || channels !== module.samplesPerPixel) {
    throw new Error(`${codec} frame is ${width}x${height}x${channels}, the data set says ${module.columns}x${module.rows}x${module.samplesPerPixel}`);
  }
}

function wasmSamples(frame: WasmDecodedFrame): Uint8Array | Uint16Array | Int16Array {
  const { bytes, info } = frame;
  const samples = info.bitsPerSample <= 8 ? bytes : info.isSigned ? new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) : new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  // JPEG-LS interleave mode "none" decodes colour plane by plane; the rest of the pipeline expects RGBRGB...
  return frame.planar && info.componentCount > 1 ? planesToInterleaved(samples, info.componentCount) : samples;
}

function planesToInterleaved<T extends Uint8Array | Uint16Array | Int16Array>(samples: T, components: number): T {
  const output = new (samples.constructor as new (length: number) => T)(samples.length);
  const pixels = samples.length / components;
  for (let pixel = 0; pixel < pixels; pixel++) {
    for (let component = 0; component < components; component++) output[pixel * components + component] = samples[component * pixels + pixel] as number;
  }
  return output;
}

/** Little-endian bytes (RLE output) to samples of 8, 16 or 32 bits. */
function littleEndianSamples(bytes: Uint8Array, bitsAllocated: number): Uint8Array | Uint16Array | Uint32Array {
  if (bitsAllocated === 8) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bitsAllocated === 32) {
    const wide = new Uint32Array(bytes.length / 4);
    for (let index = 0; index < wide.length; index++) wide[index] = view.getUint32(index * 4, true);
    return wide;
  }
  const samples = new Uint16Array(bytes.length / 2);
  for (let index = 0; index < samples.length; index++) samples[index] = view.getUint16(index * 2, true);
  return samples;
}

/**
 * Deflated Image Frame Compression: each frame is its native bytes (little
 * endian; 1-bit frames packed from bit 0), raw-deflated. Inflating stops at
 * what the frame needs, so a small file cannot inflate without bound.
 */
function inflatedFrame(encoded: Uint8Array, module: DicomPixelModule): Uint8Array | Uint16Array | Uint32Array {
  const samples = module.rows * module.columns * module.samplesPerPixel;
  const needed = module.bitsAllocated === 1 ? Math.ceil(samples / 8) : (samples * module.bitsAllocated) / 8;
  if (![1, 8, 16, 32].includes(module.bitsAllocated)) throw new Error(`deflated frames with ${module.bitsAllocated} bits allocated are not supported`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(inflateRawSync(encoded, { maxOutputLength: needed + 1 }));
  } catch {
    throw new Error(`the frame does not inflate to the ${needed} bytes it should hold (damaged or larger than Rows x Columns)`);
  }
  if (bytes.length < needed) throw new Error(`the frame inflates to ${bytes.length} of ${needed} bytes (truncated?)`);
  if (module.bitsAllocated !== 1) return littleEndianSamples(bytes.subarray(0, needed), module.bitsAllocated);
  const bits = new Uint8Array(samples);
  for (let index = 0; index < samples; index++) bits[index] = ((bytes[index >> 3] as number) >> (index & 7)) & 1;
  return bits;
}

export async function decodeEncapsulatedFrame(encoding: PixelEncoding, encoded: Uint8Array, module: DicomPixelModule, fileName: string): Promise<CodecFrame> {
  switch (encoding) {
    case 'rle': {
      if (![1, 8, 16, 32].includes(module.bitsAllocated)) throw new Error(`RLE with ${module.bitsAllocated} bits allocated is not supported`);
      const bytes = decodeDicomRleFrame(encoded, module.rows, module.columns, module.samplesPerPixel, module.bitsAllocated);
      return { samples: module.bitsAllocated === 1 ? bytes : littleEndianSamples(bytes, module.bitsAllocated), convertedToRgb: false };
    }
    case 'deflated-frames':
      return { samples: inflatedFrame(encoded, module), convertedToRgb: false };
    case 'jpeg-dct': {
      // DICOM says RGB in a JPEG frame means no colour transform was applied.
      const colorTransform = module.samplesPerPixel === 3 ? module.photometric !== 'RGB' : undefined;
      const frame = decodeDctJpeg(encoded, fileName, colorTransform === undefined ? {} : { colorTransform });
      checkSize(module, frame.width, frame.height, frame.channels, 'JPEG');
      return { samples: frame.data, convertedToRgb: frame.channels === 3 };
    }
    case 'jpeg-lossless': {
      const bytesPerSample = module.bitsAllocated <= 8 ? 1 : 2;
      // The decoder reads through a DataView over the whole ArrayBuffer, so hand it an exact copy.
      // Not encoded.slice(): on a Node Buffer (files read by the importer) that is a view of the whole file.
      const copy = Uint8Array.prototype.slice.call(encoded);
      const samples = new JpegLosslessDecoder().decode(copy.buffer, 0, copy.length, bytesPerSample);
      const expected = module.rows * module.columns * module.samplesPerPixel;
      if (samples.length !== expected) throw new Error(`JPEG lossless frame has ${samples.length} samples, expected ${expected}`);
      return { samples, convertedToRgb: false };
    }
    case 'jpeg-ls': {
      const frame = runWasmDecoder(await createJpegLsDecoder(), encoded);
      checkSize(module, frame.info.width, frame.info.height, frame.info.componentCount, 'JPEG-LS');
      return { samples: wasmSamples(frame), convertedToRgb: false, precision: frame.info.bitsPerSample };
    }
    case 'jpeg2000': {
      const frame = runWasmDecoder(await createJpeg2000Decoder(), encoded);
      checkSize(module, frame.info.width, frame.info.height, frame.info.componentCount, 'JPEG 2000');
      return { samples: wasmSamples(frame), convertedToRgb: false, precision: frame.info.bitsPerSample };
    }
    case 'native':
      throw new Error('native pixel data is not encapsulated');
  }
}
