/**
 * A file the page asks main to save through the Electron save dialog
 * (preload bridge `saveFile`, main/electron/saveFileIpc.ts). Apart from
 * shared/bridge.ts so the sandboxed preload bundle stays free of zod.
 */
import { z } from 'zod';

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
