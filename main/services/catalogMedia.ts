import { registerMediaRoute, type MediaResponse } from './media';
import { renderCatalogMask, renderCatalogPreview } from './catalogService';

function imageIdFrom(segment: string | undefined): number {
  const id = Number(segment);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`bad image id "${segment ?? ''}"`);
  return id;
}

function optionalNumber(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}

const png = (body: Uint8Array): MediaResponse => ({ status: 200, mime: 'image/png', body });

/**
 * Catalog images for the UI: "preview/<imageId>?maxSide=256&windowCenter=40&windowWidth=400"
 * and "mask/<imageId>" (class ids as 8-bit grey PNG).
 */
export function registerCatalogMediaRoutes(): void {
  registerMediaRoute('preview', async (ctx, [id], params) =>
    png(
      await renderCatalogPreview(ctx, {
        imageId: imageIdFrom(id),
        maxSide: optionalNumber(params, 'maxSide') ?? 256,
        windowCenter: optionalNumber(params, 'windowCenter'),
        windowWidth: optionalNumber(params, 'windowWidth'),
      }),
    ),
  );
  registerMediaRoute('mask', async (ctx, [id]) => png(await renderCatalogMask(ctx, { imageId: imageIdFrom(id) })));
}
