import { closeSync, openSync, readSync } from 'node:fs';

/** The first `size` bytes of a file (fewer when the file is shorter): format sniffing without reading it whole. */
export function readFileHead(file: string, size: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(size);
    return buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}
