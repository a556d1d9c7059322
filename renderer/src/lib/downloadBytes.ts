/** Hands bytes to the user: a download in the browser; Electron asks where to save it. */
export function downloadBytes(fileName: string, bytes: Uint8Array | string, mime: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
