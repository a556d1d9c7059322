import type { Catalog } from './openCatalog';
import { decodeImageFrames, decodeMaskFrames, type DecodeOptions } from '../imaging/imageCodec';
import type { MaskFrame } from '../imaging/maskValues';
import type { DecodedImage } from '../imaging/decodedImage';

/** Name the decoders see for a stored file: its sha plus the original extension (".nii.gz", ".dcm"...). */
export function storedFileName(catalog: Catalog, sha256: string): string {
  const row = catalog.statement('SELECT ext FROM files WHERE sha256 = ?').get(sha256) as { ext: string } | undefined;
  return `${sha256}${row?.ext ?? ''}`;
}

/**
 * Decodes stored files, keeping the last few: consecutive slices of one
 * NIfTI volume or frames of one DICOM decode the file once. The decode
 * options are the dataset's (DatasetSampleReader makes them): there is no
 * default, since a wrong NIfTI axis decodes other slices than were imported.
 */
export class DecodedFileCache {
  private readonly entries = new Map<string, Promise<DecodedImage[]>>();
  private readonly masks = new Map<string, Promise<MaskFrame[]>>();

  constructor(
    private readonly catalog: Catalog,
    private readonly options: DecodeOptions,
    private readonly capacity = 4,
  ) {}

  frames(sha256: string): Promise<DecodedImage[]> {
    let entry = this.entries.get(sha256);
    if (entry) {
      this.entries.delete(sha256);
      this.entries.set(sha256, entry);
      return entry;
    }
    entry = decodeImageFrames(this.catalog.readFile(sha256), storedFileName(this.catalog, sha256), this.options);
    this.entries.set(sha256, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** Label values of a stored mask file (palette indices kept), one per slice. */
  async maskFrame(sha256: string, frameIndex: number): Promise<MaskFrame> {
    let entry = this.masks.get(sha256);
    if (!entry) {
      entry = decodeMaskFrames(this.catalog.readFile(sha256), storedFileName(this.catalog, sha256), this.options);
      this.masks.set(sha256, entry);
      while (this.masks.size > this.capacity) this.masks.delete(this.masks.keys().next().value!);
    }
    const frames = await entry;
    const frame = frames[frameIndex];
    if (!frame) throw new Error(`stored mask ${sha256} has no frame ${frameIndex} (it holds ${frames.length})`);
    return frame;
  }

  async frame(sha256: string, frameIndex: number): Promise<DecodedImage> {
    const frames = await this.frames(sha256);
    const frame = frames.find((f, i) => (f.frameIndex ?? i) === frameIndex) ?? frames[frameIndex];
    if (!frame) throw new Error(`stored file ${sha256} has no frame ${frameIndex} (it holds ${frames.length})`);
    return frame;
  }
}
