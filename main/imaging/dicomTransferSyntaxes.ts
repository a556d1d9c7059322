/** How a transfer syntax stores Pixel Data, which decides the decoder. */
export type PixelEncoding = 'native' | 'rle' | 'deflated-frames' | 'jpeg-dct' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000';

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  littleEndian: boolean;
  lossy: boolean;
}

const syntaxes: TransferSyntax[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'native', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', encoding: 'native', littleEndian: false, lossy: false },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.8.1', name: 'Deflated Image Frame Compression', encoding: 'deflated-frames', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpeg-dct', littleEndian: true, lossy: true },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpeg-dct', littleEndian: true, lossy: true },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'jpeg-lossless', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless, First-Order Prediction (Process 14 SV1)', encoding: 'jpeg-lossless', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'jpeg-ls', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls', littleEndian: true, lossy: true },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless Only', encoding: 'jpeg2000', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', encoding: 'jpeg2000', littleEndian: true, lossy: true },
  { uid: '1.2.840.10008.1.2.4.201', name: 'High-Throughput JPEG 2000 Lossless Only', encoding: 'jpeg2000', littleEndian: true, lossy: false },
  // OpenJPEG decodes HTJ2K whatever the progression order; .202 only pins RPCL, .203 allows lossy.
  { uid: '1.2.840.10008.1.2.4.202', name: 'High-Throughput JPEG 2000 with RPCL Options Lossless Only', encoding: 'jpeg2000', littleEndian: true, lossy: false },
  { uid: '1.2.840.10008.1.2.4.203', name: 'High-Throughput JPEG 2000', encoding: 'jpeg2000', littleEndian: true, lossy: true },
];

const syntaxByUid = new Map(syntaxes.map((syntax) => [syntax.uid, syntax]));

/** Names of syntaxes we know but cannot decode, for a clearer error. */
const knownUnsupported = new Map([
  ['1.2.840.10008.1.2.4.100', 'MPEG2 video'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 video'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible video'],
  ['1.2.840.10008.1.2.4.110', 'JPEG XL Lossless'],
  ['1.2.840.10008.1.2.4.112', 'JPEG XL'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component Lossless'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component'],
]);

export function findTransferSyntax(uid: string): TransferSyntax | undefined {
  return syntaxByUid.get(uid);
}

export function describeUnsupportedTransferSyntax(uid: string): string {
  const name = knownUnsupported.get(uid);
  return `unsupported transfer syntax ${uid}${name ? ` (${name})` : ''}`;
}

export const supportedTransferSyntaxes: readonly TransferSyntax[] = syntaxes;
