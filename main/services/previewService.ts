import type { ServiceContext } from './context';
import type { Catalog } from '../catalog/openCatalog';
import { cachedImagePreview, renderImageMask, renderImagePreview, type PreviewRequest } from '../catalog/catalogPreview';
import { PreviewPool, RenderFailed } from '../importers/previewPool';
import { ApiError } from '../../shared/api/endpoint';

const pools = new WeakMap<ServiceContext, PreviewPool | null>();

/**
 * Preview workers per context: UMEDPT_PREVIEW_WORKERS (default 2; 0 renders in this process, for debugging only),
 * UMEDPT_PREVIEW_MEMORY_MB (each worker's memory cap, default 2048).
 */
function poolOf(ctx: ServiceContext): PreviewPool | null {
  if (pools.has(ctx)) return pools.get(ctx)!;
  const configured = Number(process.env.UMEDPT_PREVIEW_WORKERS ?? 2);
  const size = Number.isInteger(configured) && configured >= 0 ? configured : 2;
  const memoryCapMb = Number(process.env.UMEDPT_PREVIEW_MEMORY_MB);
  const pool = size === 0 ? null : new PreviewPool(ctx.dataDir, { size, ...(memoryCapMb > 0 ? { memoryCapMb } : {}) });
  pools.set(ctx, pool);
  if (pool) ctx.disposers.push(() => pool.close());
  return pool;
}

function asServiceError(error: unknown): never {
  // a request problem (no such image, undecodable file) stays a request problem; a stopped worker is the server's
  if (error instanceof RenderFailed) throw new Error(error.message);
  throw new ApiError('unavailable', error instanceof Error ? error.message : String(error));
}

/** A preview PNG: from the disk cache on this loop, else rendered in a preview worker. */
export async function previewOffLoop(ctx: ServiceContext, catalog: Catalog, request: PreviewRequest): Promise<Uint8Array> {
  const hit = cachedImagePreview(catalog, request);
  if (hit) return hit;
  const pool = poolOf(ctx);
  if (!pool) return renderImagePreview(catalog, request);
  return pool.render({ what: 'preview', request }).catch(asServiceError);
}

/** A mask PNG, rendered (or read from its cache) in a preview worker. */
export async function maskOffLoop(ctx: ServiceContext, catalog: Catalog, imageId: number): Promise<Uint8Array> {
  const pool = poolOf(ctx);
  if (!pool) return renderImageMask(catalog, imageId);
  return pool.render({ what: 'mask', request: { imageId } }).catch(asServiceError);
}
