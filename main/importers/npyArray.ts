/**
 * NumPy .npy arrays (format versions 1-3): the header is a Python dict
 * literal with 'descr', 'fortran_order' and 'shape'. Only the dtypes
 * datasets use are read.
 */
export interface NpyArray {
  dtype: 'u1' | 'i1' | 'u2' | 'i2' | 'i4' | 'u4' | 'i8' | 'f4' | 'f8' | 'b1';
  shape: number[];
  data: ArrayLike<number>;
}

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) throw new Error(`${name}: not a .npy array (bad magic)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z])(\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw new Error(`${name}: unreadable .npy header (it needs 'descr', 'fortran_order' and 'shape')`);
  if (fortran[1] === 'True') throw new Error(`${name}: Fortran-ordered arrays are not supported`);
  const [, order, kind, size] = descr as unknown as [string, string, string, string];
  const dtype = `${kind}${size}` as NpyArray['dtype'];
  const shape = shapeText[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  const itemSize = Number(size);
  if (bytes.length < start + count * itemSize) throw new Error(`${name}: truncated .npy data (${bytes.length - start} of ${count * itemSize} bytes)`);
  const little = order !== '>';
  const body = new DataView(bytes.buffer, bytes.byteOffset + start, count * itemSize);
  const read = (i: number): number => {
    switch (dtype) {
      case 'u1':
      case 'b1':
        return body.getUint8(i);
      case 'i1':
        return body.getInt8(i);
      case 'u2':
        return body.getUint16(i * 2, little);
      case 'i2':
        return body.getInt16(i * 2, little);
      case 'u4':
        return body.getUint32(i * 4, little);
      case 'i4':
        return body.getInt32(i * 4, little);
      case 'i8':
        return Number(body.getBigInt64(i * 8, little));
      case 'f4':
        return body.getFloat32(i * 4, little);
      case 'f8':
        return body.getFloat64(i * 8, little);
      default:
        throw new Error(`${name}: unsupported dtype ${order}${kind}${size}`);
    }
  };
  if (dtype === 'u1' || dtype === 'b1') return { dtype, shape, data: bytes.subarray(start, start + count) };
  if (!['i1', 'u2', 'i2', 'u4', 'i4', 'i8', 'f4', 'f8'].includes(dtype)) throw new Error(`${name}: unsupported dtype ${order}${kind}${size}`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(i);
  return { dtype, shape, data };
}
