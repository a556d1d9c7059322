import { useMemo } from 'react';
import type { ClassInfo } from '../../../shared/api/catalog';
import { useClient, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { ImageViewer, type ViewerImage, type ViewerLayer } from '../viewer/ImageViewer';
import { windowParams } from '../viewer/windowLevel';

/** A catalog image in the shared viewer, with its mask and boxes as overlays and its labels as chips. */
export function CatalogImagePanel({ imageId, classes, onClose }: { imageId: number; classes: ClassInfo[]; onClose(): void }) {
  const client = useClient();
  const detail = useQuery('catalog/getImage', { imageId });
  const d = detail.data;

  const image = useMemo<(ViewerImage & { sourcePath: string; split: string; group: string | null; channels: number }) | null>(
    () =>
      d && {
        width: d.width,
        height: d.height,
        bitDepth: d.bitDepth,
        channels: d.channels,
        modality: d.modality,
        metadata: d.metadata,
        sourcePath: d.sourcePath,
        split: d.split,
        group: d.group,
        // v= names the content version: the browser keeps the preview, so reopening an image or a window is instant
        src: (w) => client.mediaUrl(`preview/${d.id}?maxSide=1024&v=${d.sha256.slice(0, 16)}${windowParams(w)}`),
      },
    [d, client],
  );
  const layers = useMemo<ViewerLayer[]>(() => {
    if (!d) return [];
    const out: ViewerLayer[] = [];
    if (d.mask) out.push({ id: 'mask', label: 'Mask', kind: 'mask', url: client.mediaUrl(`mask/${d.id}`) });
    if (d.boxes.length > 0) out.push({ id: 'boxes', label: `Boxes (${d.boxes.length})`, kind: 'boxes', boxes: d.boxes });
    return out;
  }, [d, client]);
  const className = (id: number) => classes.find((c) => c.index === id)?.name ?? `class ${id}`;

  return (
    <aside className="panel image-panel" aria-label="Selected image">
      <div className="row spread">
        <strong className="ellipsis" title={d?.sourcePath}>
          {d?.sourcePath.split('/').pop() ?? 'Image'}
        </strong>
        <button type="button" className="secondary small-button" onClick={onClose} aria-label="Close the image">
          Close
        </button>
      </div>
      <ErrorMessage error={detail.error} title="The image could not be loaded" />
      {d && d.labels.length > 0 && (
        <div className="row tight labels">
          {d.labels.map((l) => (
            <span key={l} className="chip">
              {className(l)}
            </span>
          ))}
        </div>
      )}
      {image && <ImageViewer image={image} layers={layers} classes={classes} height={440} label="Catalog image" />}
    </aside>
  );
}
