// Type declarations for codec packages that ship no typings of their own,
// limited to what the pixel importers call.

declare module 'omggif' {
  export interface GifFrameInfo {
    x: number;
    y: number;
    width: number;
    height: number;
    has_local_palette: boolean;
    palette_offset: number | null;
    palette_size: number | null;
    data_offset: number;
    data_length: number;
    transparent_index: number | null;
    interlaced: boolean;
    delay: number;
    disposal: number;
  }
  export class GifReader {
    constructor(bytes: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    frameInfo(frameIndex: number): GifFrameInfo;
    decodeAndBlitFrameRGBA(frameIndex: number, pixels: Uint8Array): void;
  }
  export class GifWriter {
    constructor(
      buffer: Uint8Array,
      width: number,
      height: number,
      options?: { palette?: number[]; loop?: number },
    );
    addFrame(
      x: number,
      y: number,
      width: number,
      height: number,
      indexedPixels: ArrayLike<number>,
      options?: { palette?: number[]; delay?: number; transparent?: number; disposal?: number },
    ): number;
    end(): number;
  }
}

declare module 'bmp-js' {
  interface BmpDecoded {
    width: number;
    height: number;
    /** ABGR byte order, 4 bytes per pixel */
    data: Buffer;
    bitPP: number;
    is_with_alpha: boolean;
  }
  const bmp: {
    decode(buffer: Buffer): BmpDecoded;
    encode(image: { data: Buffer | Uint8Array; width: number; height: number }): { data: Buffer };
  };
  export default bmp;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    constructor(buffer?: ArrayBuffer, numBytes?: number);
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
