import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { perContext } from './contextResource';
import { settleDeadImports } from '../importers/importLiveness';
import { openCatalog, type Catalog } from '../catalog/openCatalog';
import type { PreviewRequest } from '../catalog/catalogPreview';
import { maskOffLoop, previewOffLoop } from './previewService';
import { ApiError } from '../../shared/api/endpoint';
import type { ThumbnailBatch } from '../../shared/api/catalog';

/** The context's catalog: the one connection of this process, opened on first use and closed with the context. */
export const catalogOf: (ctx: ServiceContext) => Catalog = perContext(
  (ctx) => {
    const catalog = openCatalog(ctx.dataDir);
    // imports whose worker died while no app was watching end resumable (`incomplete`), not `importing`
    settleDeadImports(catalog);
    return catalog;
  },
  (catalog) => catalog.close(),
);

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new ApiError('not_found', `${what} does not exist`);
  return value;
}

/** PNG preview (thumbnail or full) of a catalog image, window/level for deep images; cached on disk. */
export async function renderCatalogPreview(ctx: ServiceContext, request: PreviewRequest & { contentVersion?: string }): Promise<Uint8Array> {
  const catalog = catalogOf(ctx);
  const image = found(catalog.imageSummary(request.imageId), `image ${request.imageId}`);
  if (request.contentVersion !== undefined && !(/^[0-9a-f]{8,64}$/.test(request.contentVersion) && image.sha256.startsWith(request.contentVersion))) {
    throw new ApiError('conflict', `image ${request.imageId} is not version "${request.contentVersion}" (its content changed, or v is not 8-64 hex digits of its sha256)`);
  }
  if (!(request.maxSide > 0)) throw new ApiError('invalid_request', 'maxSide must be a positive number of pixels');
  if ((request.windowCenter === undefined) !== (request.windowWidth === undefined)) throw new ApiError('invalid_request', 'windowCenter and windowWidth go together');
  if (request.windowWidth !== undefined && !(request.windowWidth > 0)) throw new ApiError('invalid_request', 'windowWidth must be positive');
  return previewOffLoop(ctx, catalog, request);
}

/** 8-bit grey PNG of an image's mask, one class id per pixel. */
export async function renderCatalogMask(ctx: ServiceContext, request: { imageId: number }): Promise<Uint8Array> {
  const catalog = catalogOf(ctx);
  const image = found(catalog.getImage(request.imageId), `image ${request.imageId}`);
  if (!image.mask) throw new ApiError('not_found', `image ${request.imageId} has no mask`);
  return maskOffLoop(ctx, catalog, request.imageId);
}

export function createCatalogHandlers(
  ctx: ServiceContext,
): Handlers<'catalog/listDatasets' | 'catalog/getDataset' | 'catalog/deleteDataset' | 'catalog/restoreDataset' | 'catalog/listImages' | 'catalog/thumbnails' | 'catalog/getImage' | 'catalog/statistics'> {
  return {
    'catalog/listDatasets': (r) => catalogOf(ctx).listDatasets({ includeDeleted: r.includeDeleted }),
    'catalog/getDataset': (r) => found(catalogOf(ctx).getDataset(r.datasetId), `dataset ${r.datasetId}`),
    'catalog/deleteDataset': (r) => {
      const dataset = found(catalogOf(ctx).getDataset(r.datasetId), `dataset ${r.datasetId}`);
      if (dataset.deletedAt) throw new ApiError('conflict', `dataset ${r.datasetId} is already deleted`);
      return catalogOf(ctx).deleteDataset(r.datasetId)!;
    },
    'catalog/restoreDataset': (r) => {
      const dataset = found(catalogOf(ctx).getDataset(r.datasetId), `dataset ${r.datasetId}`);
      if (!dataset.deletedAt) throw new ApiError('conflict', `dataset ${r.datasetId} is not deleted`);
      return catalogOf(ctx).restoreDataset(r.datasetId)!;
    },
    'catalog/listImages': (r) => {
      found(catalogOf(ctx).getDataset(r.datasetId), `dataset ${r.datasetId}`);
      return catalogOf(ctx).listImages(r);
    },
    // One answer for a row of the grid: an image that cannot be rendered gets its own error, the rest still arrive.
    'catalog/thumbnails': async (r) => {
      const catalog = catalogOf(ctx);
      // rendered by the preview workers side by side; each image gets its answer or its own error
      const items: ThumbnailBatch['items'] = await Promise.all(
        r.imageIds.map(async (imageId) => {
          try {
            const png = await previewOffLoop(ctx, catalog, { imageId, maxSide: r.maxSide });
            return { imageId, png: Buffer.from(png).toString('base64') };
          } catch (error) {
            return { imageId, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
      return { items };
    },
    'catalog/getImage': (r) => found(catalogOf(ctx).getImage(r.imageId), `image ${r.imageId}`),
    'catalog/statistics': (r) => found(catalogOf(ctx).statistics(r.datasetId), `dataset ${r.datasetId}`),
  };
}
