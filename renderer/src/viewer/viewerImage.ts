import type { DisplayWindow } from './windowLevel';

/** The image the viewer shows: what ImageViewer draws and MetadataTable describes. */
export interface ViewerImage {
  /** stored image size: boxes are in these pixels */
  width: number;
  height: number;
  bitDepth: number;
  modality: string | null;
  metadata: Record<string, unknown>;
  /** preview URL for a display window (null: automatic) */
  src(displayWindow: DisplayWindow | null): string;
}
