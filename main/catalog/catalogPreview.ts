import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomicFile';
import path from 'node:path';
import type { Catalog } from './openCatalog';
import { DatasetSampleReader } from './datasetSamples';
import { encodeGreyPng, renderPreview } from '../imaging/imageCodec';

export interface PreviewRequest {
  imageId: number;
  maxSide: number;
  windowCenter?: number;
  windowWidth?: number;
}

function cacheDir(catalog: Catalog): string {
  return path.join(catalog.dataDir, 'cache', 'previews');
}

/** Cached PNG by name, or render, write (atomically) and return it. */
async function cached(catalog: Catalog, name: string, render: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const file = path.join(cacheDir(catalog), name);
  if (existsSync(file)) return readFileSync(file);
  const png = await render();
  // a cache: rebuilt when lost, so no fsync
  writeFileAtomic(file, png, { durable: false });
  return png;
}

/**
 * Display PNG of a catalog image (thumbnail or full preview), windowed for
 * 16-bit / DICOM images. Keyed by content, frame, size and window, so the
 * disk cache is shared by every dataset holding the same file.
 */
export async function renderImagePreview(catalog: Catalog, request: PreviewRequest): Promise<Uint8Array> {
  const { image, maxSide, windowed, name } = previewKey(catalog, request);
  return cached(catalog, name, async () => {
    const frame = await DatasetSampleReader.open(catalog, image.datasetId).frame(image);
    return renderPreview(frame, { maxSide, ...(windowed ? { windowCenter: request.windowCenter!, windowWidth: request.windowWidth! } : {}) });
  });
}

function previewKey(catalog: Catalog, request: PreviewRequest) {
  const image = catalog.imageSummary(request.imageId);
  if (!image) throw new Error(`no image ${request.imageId} in the catalog`);
  const maxSide = Math.max(8, Math.min(4096, Math.round(request.maxSide)));
  const windowed = request.windowCenter !== undefined && request.windowWidth !== undefined;
  const name = `${image.sha256}-f${image.frameIndex}-s${maxSide}${windowed ? `-w${request.windowCenter}_${request.windowWidth}` : ''}.png`;
  return { image, maxSide, windowed, name };
}

/** The preview's PNG when an earlier render left it in the disk cache, else null (no decoding here). */
export function cachedImagePreview(catalog: Catalog, request: PreviewRequest): Uint8Array | null {
  const file = path.join(cacheDir(catalog), previewKey(catalog, request).name);
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** 8-bit grey PNG of the class id of every pixel of an image's mask. */
export async function renderImageMask(catalog: Catalog, imageId: number): Promise<Uint8Array> {
  const image = catalog.getImage(imageId);
  if (!image) throw new Error(`no image ${imageId} in the catalog`);
  if (!image.mask) throw new Error(`image ${imageId} has no mask`);
  const mask = image.mask;
  return cached(catalog, `mask-${mask.sha256}-f${mask.frameIndex}-${hashClassMap(mask.classMap)}.png`, async () => {
    const ids = await DatasetSampleReader.open(catalog, image.datasetId).maskClassIds(image);
    return encodeGreyPng(ids!.width, ids!.height, ids!.data);
  });
}

function hashClassMap(map: Array<{ value: number; classId: number }>): string {
  return map.map((e) => `${e.value}.${e.classId}`).join('_').slice(0, 80) || 'none';
}
