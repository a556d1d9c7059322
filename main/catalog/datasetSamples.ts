import type { Catalog } from './openCatalog';
import { DecodedFileCache } from './decodedFileCache';
import { datasetClasses as classesOf } from './datasetQueries';
import { maskToClassIds } from '../imaging/maskValues';
import type { SliceAxisName } from '../imaging/niftiOrientation';
import type { DecodedImage } from '../imaging/decodedImage';
import type { ClassInfo, ImageDetail, SplitName } from '../../shared/api/catalog';

export interface DatasetSample {
  imageId: number;
  split: SplitName;
  group: string | null;
  /** the stored pixels at their source depth (no intensity policy applied) */
  decoded: DecodedImage;
  /** class ids (one for single-label classification; several for multi-label) */
  labels: number[];
  /** class id per pixel, row-major */
  mask?: { width: number; height: number; data: Uint8Array };
  /** pixels of the stored image, top-left corner and size */
  boxes: Array<{ classId: number; x: number; y: number; w: number; h: number }>;
}

/** Classes of a dataset, index = the class id used by labels, boxes and masks. */
export function datasetClasses(catalog: Catalog, datasetId: number): ClassInfo[] {
  return classesOf(catalog, datasetId);
}

/** Decodes a stored mask frame and maps its values to class ids with the mask's class map. */
export async function maskClassIds(cache: DecodedFileCache, image: ImageDetail): Promise<{ width: number; height: number; data: Uint8Array } | undefined> {
  const info = image.mask;
  if (!info) return undefined;
  const frame = await cache.maskFrame(info.sha256, info.frameIndex);
  const valueToClass = new Map(info.classMap.map((e) => [e.value, e.classId]));
  return { width: frame.width, height: frame.height, data: maskToClassIds(frame, valueToClass, info.sourcePath) };
}

/**
 * Every image of a dataset (optionally one split) decoded from the store,
 * with its annotations, in catalog order. Decodes lazily, one image at a
 * time, so a large dataset never sits in memory at once.
 */
export async function* loadDatasetSamples(catalog: Catalog, datasetId: number, options: { split?: SplitName } = {}): AsyncIterable<DatasetSample> {
  if (!catalog.getDataset(datasetId)) throw new Error(`no dataset ${datasetId} in the catalog`);
  const niftiAxis = (catalog.getDataset(datasetId)!.options.niftiAxis as SliceAxisName | undefined) ?? 'axial';
  const cache = new DecodedFileCache(catalog, { niftiAxis });
  for (const image of catalog.imagesWithAnnotations(datasetId, options.split)) {
    const decoded = await cache.frame(image.sha256, image.frameIndex);
    const mask = await maskClassIds(cache, image);
    yield {
      imageId: image.id,
      split: image.split,
      group: image.group,
      decoded,
      labels: image.labels,
      ...(mask ? { mask } : {}),
      boxes: image.boxes.map(({ classId, x, y, w, h }) => ({ classId, x, y, w, h })),
    };
  }
}
