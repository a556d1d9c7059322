/** The import worker's preview mode: renders previews and masks for the main process's PreviewPool. */
import { openCatalog, type Catalog } from '../catalog/openCatalog';
import { renderImageMask, renderImagePreview, type PreviewRequest } from '../catalog/catalogPreview';
import type { FromImportWorker } from './importMessages';

const catalogs = new Map<string, Catalog>();

function catalogAt(dataDir: string): Catalog {
  let catalog = catalogs.get(dataDir);
  if (!catalog) {
    catalog = openCatalog(dataDir);
    catalogs.set(dataDir, catalog);
  }
  return catalog;
}

export async function renderForParent(message: { id: number; dataDir: string; what: 'preview' | 'mask'; request: PreviewRequest }): Promise<FromImportWorker> {
  try {
    const catalog = catalogAt(message.dataDir);
    const png = message.what === 'preview' ? await renderImagePreview(catalog, message.request) : await renderImageMask(catalog, message.request.imageId);
    // IPC carries JSON: bytes travel as base64
    return { type: 'rendered', id: message.id, png: Buffer.from(png).toString('base64') };
  } catch (error) {
    return { type: 'renderFailed', id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
}
