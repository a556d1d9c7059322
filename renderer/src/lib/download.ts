/** Hands bytes or text to the user as a file (client-side Blob, no server round trip): a download in the browser; Electron asks where to save it. */
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

/** Saves text as a file (CSV by default). */
export function downloadText(fileName: string, text: string, mime = 'text/csv;charset=utf-8'): void {
  downloadBytes(fileName, text, mime);
}
