import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** What the CharLS / OpenJPEG emscripten builds report about a decoded frame. */
export interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

export interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  /** CharLS only: 0 = interleave mode none (planes one after another) */
  getInterleaveMode?(): number;
  delete(): void;
}

interface CodecModule {
  JpegLSDecoder?: new () => WasmFrameDecoder;
  J2KDecoder?: new () => WasmFrameDecoder;
}

type CodecFactory = (options: { wasmBinary: Uint8Array; print: (line: string) => void; printErr: (line: string) => void }) => Promise<CodecModule>;

// Works both as ESM (tsx, vitest) and inside a CommonJS bundle (electron main).
const requireFromHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/**
 * Loads an emscripten codec with its .wasm bytes read from the package, so
 * nothing depends on where a bundler put the glue script.
 */
async function loadCodec(glueSpecifier: string, wasmSpecifier: string): Promise<CodecModule> {
  const factoryExport = requireFromHere(glueSpecifier) as CodecFactory | { default: CodecFactory };
  const factory = typeof factoryExport === 'function' ? factoryExport : factoryExport.default;
  const wasmBinary = new Uint8Array(readFileSync(requireFromHere.resolve(wasmSpecifier)));
  // OpenJPEG logs every header it reads to stdout; an importer has no use for that.
  const quiet = (): void => undefined;
  return factory({ wasmBinary, print: quiet, printErr: quiet });
}

let charls: Promise<CodecModule> | undefined;
let openjpeg: Promise<CodecModule> | undefined;

export async function createJpegLsDecoder(): Promise<WasmFrameDecoder> {
  charls ??= loadCodec('@cornerstonejs/codec-charls/decodewasmjs', '@cornerstonejs/codec-charls/decodewasm');
  const module = await charls;
  if (!module.JpegLSDecoder) throw new Error('the CharLS build has no JpegLSDecoder');
  return new module.JpegLSDecoder();
}

export async function createJpeg2000Decoder(): Promise<WasmFrameDecoder> {
  openjpeg ??= loadCodec('@cornerstonejs/codec-openjpeg/decodewasmjs', '@cornerstonejs/codec-openjpeg/decodewasm');
  const module = await openjpeg;
  if (!module.J2KDecoder) throw new Error('the OpenJPEG build has no J2KDecoder');
  return new module.J2KDecoder();
}

export interface WasmDecodedFrame {
  info: CodecFrameInfo;
  /** copied out of the wasm heap, so it survives the decoder's deletion */
  bytes: Uint8Array;
  /** components come plane after plane (JPEG-LS interleave mode none) */
  planar: boolean;
}

/** Runs one encoded frame through a wasm decoder and frees the decoder afterwards. */
export function runWasmDecoder(decoder: WasmFrameDecoder, encoded: Uint8Array): WasmDecodedFrame {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const planar = info.componentCount > 1 && decoder.getInterleaveMode?.() === 0;
    // A copy as a plain Uint8Array: OpenJPEG hands out a Uint8ClampedArray, which the rest takes for 16-bit data.
    return { info: { ...info }, bytes: new Uint8Array(decoder.getDecodedBuffer()), planar };
  } finally {
    decoder.delete();
  }
}
