/**
 * Saving a file the page made (a study report, predictions, an import
 * report): main shows the save dialog and writes the bytes where the user
 * chose. Checked like every API call: the sender must be a page of
 * umedpt://app, and the request must be a plain file name, a MIME type and at
 * most maxSaveFileBytes of bytes (shared/bridge.ts) before the dialog opens.
 */
import path from 'node:path';
import { saveFileRequestSchema, type SaveFileResult } from '../../shared/saveFile';
import { writeFileAtomic } from '../files/atomicFile';
import { senderRefusal } from './apiIpc';
import type { BrowserWindowLike, DialogLike, IpcMainInvokeEventLike, IpcMainLike } from './electronApi';
import { saveFileChannel } from './ipcChannels';

export interface SaveFileIpcOptions {
  onRefused?: (reason: string) => void;
}

export function createSaveFileListener(dialog: DialogLike, window: () => BrowserWindowLike, options: SaveFileIpcOptions = {}) {
  return async (event: IpcMainInvokeEventLike, request: unknown): Promise<SaveFileResult> => {
    const refusal = senderRefusal(event);
    if (refusal) {
      options.onRefused?.(refusal);
      throw new Error(`IPC call refused: ${refusal}`);
    }
    const parsed = saveFileRequestSchema.safeParse(request);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
      return { saved: false, reason: 'failed', message: `not a file to save (${problems})` };
    }
    const { fileName, bytes } = parsed.data;
    const extension = path.extname(fileName).slice(1).toLowerCase();
    const choice = await dialog.showSaveDialog(window(), {
      title: `Save ${fileName}`,
      defaultPath: fileName,
      ...(extension ? { filters: [{ name: `${extension.toUpperCase()} file`, extensions: [extension] }] } : {}),
    });
    if (choice.canceled || !choice.filePath) return { saved: false, reason: 'cancelled' };
    try {
      // atomic: a failed save leaves no half-written file
      writeFileAtomic(choice.filePath, bytes);
    } catch (error) {
      return { saved: false, reason: 'failed', message: `${choice.filePath}: ${error instanceof Error ? error.message : String(error)}` };
    }
    return { saved: true, path: choice.filePath };
  };
}

/** Registers the save channel on ipcMain; returns the function that removes it. */
export function registerSaveFileIpc(ipcMain: IpcMainLike, dialog: DialogLike, window: () => BrowserWindowLike, options: SaveFileIpcOptions = {}): () => void {
  const listener = createSaveFileListener(dialog, window, options);
  ipcMain.handle(saveFileChannel, (event, ...args) => listener(event, args[0]));
  return () => ipcMain.removeHandler(saveFileChannel);
}
