/**
 * NumPy .npy (format 1.0) headers, so Python reads the bundle's shards with
 * np.load (memory-mapped) and no extra library.
 */
export type NpyDtype = '<f4' | '|u1';

export function npyHeader(dtype: NpyDtype, shape: number[]): Buffer {
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // magic (6) + version (2) + header length (2) + dict + padding + newline, a multiple of 64
  const unpadded = 10 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const text = `${dict}${' '.repeat(padding)}\n`;
  const header = Buffer.alloc(10 + text.length);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(text.length, 8);
  header.write(text, 10, 'latin1');
  return header;
}
