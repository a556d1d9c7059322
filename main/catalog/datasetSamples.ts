/**
 * The one way from catalog rows to decoded samples. A dataset's import
 * options become its decode options here (the NIfTI slicing axis and in-plane
 * layout it was imported with), so training, studies and
 * previews all see the pixels exactly as the import stored them: at their
 * source bit depth, with no intensity policy applied (display windowing is a
 * preview's choice, per request).
 */
import type { Catalog } from './openCatalog';
import { DecodedFileCache } from './decodedFileCache';
import { datasetClasses as classesOf } from './datasetQueries';
import { maskToClassIds } from '../imaging/maskValues';
import type { DecodeOptions } from '../imaging/imageCodec';
import type { SliceAxisName } from '../imaging/niftiOrientation';
import type { DecodedImage } from '../imaging/decodedImage';
import type { ClassInfo, DatasetDetail, ImageDetail, SplitName } from '../../shared/api/catalog';

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

/**
 * How a dataset's stored files decode: from the options it was imported with.
 * NIfTI slices are turned to the display orientation for datasets imported
 * since that normalisation (their options say niftiInPlane: 'display'); older
 * ones are read in stored voxel order, as they were imported.
 */
export function decodeOptionsOf(dataset: Pick<DatasetDetail, 'options'>): DecodeOptions {
  return {
    niftiAxis: (dataset.options.niftiAxis as SliceAxisName | undefined) ?? 'axial',
    niftiInPlane: dataset.options.niftiInPlane === 'display' ? 'display' : 'stored',
  };
}

/**
 * Decoded images, masks and samples of one dataset, through one cache of
 * decoded files (consecutive slices of a volume decode it once).
 */
export class DatasetSampleReader {
  private readonly cache: DecodedFileCache;
  readonly decodeOptions: DecodeOptions;

  private constructor(
    private readonly catalog: Catalog,
    readonly dataset: DatasetDetail,
  ) {
    this.decodeOptions = decodeOptionsOf(dataset);
    this.cache = new DecodedFileCache(catalog, this.decodeOptions);
  }

  static open(catalog: Catalog, datasetId: number): DatasetSampleReader {
    const dataset = catalog.getDataset(datasetId);
    if (!dataset) throw new Error(`no dataset ${datasetId} in the catalog`);
    return new DatasetSampleReader(catalog, dataset);
  }

  /** Images of the dataset (optionally one split) with their annotations, in id order. */
  images(split?: SplitName): ImageDetail[] {
    return this.catalog.imagesWithAnnotations(this.dataset.id, split);
  }

  /** The stored pixels of one image (a frame or slice of its file). */
  frame(image: Pick<ImageDetail, 'sha256' | 'frameIndex'>): Promise<DecodedImage> {
    return this.cache.frame(image.sha256, image.frameIndex);
  }

  /** The image's mask as class ids, through the mask's class map; undefined without a mask. */
  async maskClassIds(image: ImageDetail): Promise<{ width: number; height: number; data: Uint8Array } | undefined> {
    const info = image.mask;
    if (!info) return undefined;
    const frame = await this.cache.maskFrame(info.sha256, info.frameIndex);
    const valueToClass = new Map(info.classMap.map((e) => [e.value, e.classId]));
    return { width: frame.width, height: frame.height, data: maskToClassIds(frame, valueToClass, info.sourcePath) };
  }

  async sample(image: ImageDetail): Promise<DatasetSample> {
    const decoded = await this.frame(image);
    const mask = await this.maskClassIds(image);
    return {
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

/**
 * Every image of a dataset (optionally one split) decoded from the store,
 * with its annotations, in catalog order. Decodes lazily, one image at a
 * time, so a large dataset never sits in memory at once.
 */
export async function* loadDatasetSamples(catalog: Catalog, datasetId: number, options: { split?: SplitName } = {}): AsyncIterable<DatasetSample> {
  const reader = DatasetSampleReader.open(catalog, datasetId);
  for (const image of reader.images(options.split)) yield await reader.sample(image);
}
