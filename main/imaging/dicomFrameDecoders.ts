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
  samples: Uint8Array | Uint16Array | Int16Array;
  /** the codec already turned YCbCr into RGB (baseline JPEG) */
  convertedToRgb: boolean;
}

function checkSize(module: DicomPixelModule, width: number, height: number, channels: number, codec: string): void {
  if (width !== module.columns || height !== module.rows || channels !== module.samplesPerPixel) {
    throw new Error(`${codec} frame is ${width}x${height}x${channels}, the data set says ${module.columns}x${module.rows}x${module.samplesPerPixel}`);
  }
}

function wasmSamples(frame: WasmDecodedFrame): Uint8Array | Uint16Array | Int16Array {
  const { bytes, info } = frame;
  if (info.bitsPerSample <= 8) return bytes;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return info.isSigned ? new Int16Array(buffer) : new Uint16Array(buffer);
}

/** 16-bit little-endian bytes (RLE output) to samples. */
function littleEndianSamples(bytes: Uint8Array, bitsAllocated: number): Uint8Array | Uint16Array {
  if (bitsAllocated === 8) return bytes;
  const samples = new Uint16Array(bytes.length / 2);
  for (let index = 0; index < samples.length; index++) samples[index] = (bytes[index * 2] as number) | ((bytes[index * 2 + 1] as number) << 8);
  return samples;
}

export async function decodeEncapsulatedFrame(encoding: PixelEncoding, encoded: Uint8Array, module: DicomPixelModule, fileName: string): Promise<CodecFrame> {
  switch (encoding) {
    case 'rle': {
      if (module.bitsAllocated !== 8 && module.bitsAllocated !== 16) throw new Error(`RLE with ${module.bitsAllocated} bits allocated is not supported`);
      const bytes = decodeDicomRleFrame(encoded, module.rows, module.columns, module.samplesPerPixel, module.bitsAllocated);
      return { samples: littleEndianSamples(bytes, module.bitsAllocated), convertedToRgb: false };
    }
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
      return { samples: wasmSamples(frame), convertedToRgb: false };
    }
    case 'jpeg2000': {
      const frame = runWasmDecoder(await createJpeg2000Decoder(), encoded);
      checkSize(module, frame.info.width, frame.info.height, frame.info.componentCount, 'JPEG 2000');
      return { samples: wasmSamples(frame), convertedToRgb: false };
    }
    case 'native':
      throw new Error('native pixel data is not encapsulated');
  }
}
