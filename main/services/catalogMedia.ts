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
 * and "mask/<imageId>" (class ids as 8-bit grey PNG). A preview asked for with
 * "&v=<start of the image's sha256>" names one content version, so the
 * browser may keep it: reopening an image in the viewer costs no request.
 */
export function registerCatalogMediaRoutes(): void {
  registerMediaRoute('preview', async (ctx, [id], params) => {
    const contentVersion = params.get('v') ?? undefined;
    const body = await renderCatalogPreview(ctx, {
      imageId: imageIdFrom(id),
      maxSide: optionalNumber(params, 'maxSide') ?? 256,
      windowCenter: optionalNumber(params, 'windowCenter'),
      windowWidth: optionalNumber(params, 'windowWidth'),
      ...(contentVersion !== undefined ? { contentVersion } : {}),
    });
    return { ...png(body), immutable: contentVersion !== undefined };
  });
  registerMediaRoute('mask', async (ctx, [id]) => png(await renderCatalogMask(ctx, { imageId: imageIdFrom(id) })));
}
