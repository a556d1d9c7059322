import { z } from 'zod';
import type { ApiEventMessage, ApiErrorPayload } from './api';

/** Result of one API call as it crosses a transport. */
export type BridgeResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

/**
 * The one object the Electron preload exposes to the renderer as
 * `window.umedpt` (purpose-built functions only, never ipcRenderer).
 * The browser transport offers the same shape over a WebSocket.
 */
export interface UmedptBridge {
  call(action: string, payload: unknown): Promise<BridgeResult>;
  onEvent(listener: (message: ApiEventMessage) => void): () => void;
  /** URL of a media resource (previews, masks) served by main: "preview/<imageId>?maxSide=256" */
  mediaUrl(path: string): string;
  /**
   * Electron only: asks where to save a file the page made (a save dialog in
   * main) and writes it there. The browser transport has none: the page
   * downloads instead (renderer/src/lib/download.ts decides).
   */
  saveFile?(request: SaveFileRequest): Promise<SaveFileResult>;
}

/** Largest file a page may hand to the save dialog (a split's masks zip, a report). */
export const maxSaveFileBytes = 512 * 1024 * 1024;

/**
 * A file the page asks main to save: a plain file name (no folder, no path
 * separator; the user picks the folder), its MIME type, its bytes.
 */
export const saveFileRequestSchema = z
  .object({
    fileName: z
      .string()
      .min(1)
      .max(200)
      .refine((name) => !/[\\/:*?"<>|]/.test(name) && ![...name].some((c) => c.charCodeAt(0) < 32) && name !== '.' && name !== '..', 'a plain file name, without a folder or characters a file system refuses'),
    mime: z.string().min(1).max(100),
    bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= maxSaveFileBytes, `at most ${maxSaveFileBytes / 1024 / 1024} MiB`),
  })
  .strict();

export type SaveFileRequest = Omit<z.infer<typeof saveFileRequestSchema>, 'bytes'> & { bytes: Uint8Array };

export type SaveFileResult = { saved: true; path: string } | { saved: false; reason: 'cancelled' } | { saved: false; reason: 'failed'; message: string };

export const bridgeGlobalName = 'umedpt';
