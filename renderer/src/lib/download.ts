/**
 * The one way the UI hands a file it made to the user (predictions, study
 * reports, import reports): in Electron the preload bridge's save dialog
 * (main asks where and writes it), in the browser a download (a client-side
 * Blob, no server round trip).
 */
import { bridgeGlobalName, type SaveFileResult, type UmedptBridge } from '../../../shared/bridge';

/** What became of a file: saved where the user chose (Electron), handed to the browser's downloads, cancelled, or failed. */
export type SaveOutcome = SaveFileResult | { saved: true; path: null };

function electronBridge(): UmedptBridge | undefined {
  return (window as unknown as Record<string, UmedptBridge | undefined>)[bridgeGlobalName];
}

/** Saves bytes or text as fileName; never rejects (a failure comes back as an outcome). */
export async function downloadBytes(fileName: string, bytes: Uint8Array | string, mime: string): Promise<SaveOutcome> {
  const bridge = electronBridge();
  if (bridge?.saveFile) {
    try {
      return await bridge.saveFile({ fileName, mime, bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes });
    } catch (error) {
      return { saved: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return { saved: true, path: null };
}

/** One line for the page: where the file went, or why not. */
export function saveOutcomeText(fileName: string, outcome: SaveOutcome): string {
  if (outcome.saved) return outcome.path ? `Saved ${fileName} to ${outcome.path}.` : `${fileName} handed to the browser's downloads.`;
  return outcome.reason === 'cancelled' ? `Not saved: ${fileName} (cancelled).` : `${fileName} could not be saved: ${outcome.message}`;
}
