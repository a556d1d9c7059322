import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { ImageSummary } from '../../../shared/api/catalog';
import { useClient } from '../client/clientContext';
import { splitColours } from '../lib/splitColours';
import { gridColumns, visibleItemRange } from './gridLayout';
import type { ImagePages } from './useImagePages';

const cell = 132;
const gap = 8;

/**
 * A virtualised grid: only the rows on screen (plus a few) exist in the DOM,
 * so 100,000 images scroll like 100. The pages of the rows on screen load by
 * position, wherever the user jumps; their rows show placeholders meanwhile.
 */
export function ThumbnailGrid({ pages, selectedId, onSelect }: { pages: ImagePages; selectedId: number | null; onSelect(image: ImageSummary): void }) {
  const total = pages.total ?? 0;
  const client = useClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth - 12));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = gridColumns(width, cell, gap);
  const rowCount = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => cell + gap + 18, overscan: 4 });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows.length > 0 ? rows[0]!.index : 0;
  const lastRow = rows.length > 0 ? rows[rows.length - 1]!.index : 0;
  const { ensureRange, version } = pages;

  useEffect(() => {
    const range = visibleItemRange(firstRow, lastRow, columns, 10, total);
    if (range) ensureRange(range.first, range.last);
  }, [firstRow, lastRow, columns, total, ensureRange, version]);

  return (
    <div ref={scrollRef} className="thumb-scroll" data-testid="thumbnail-grid" aria-label={`${total} images`}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <div key={row.key} className="thumb-row" style={{ transform: `translateY(${row.start}px)`, gridTemplateColumns: `repeat(${columns}, ${cell}px)`, gap }}>
            {Array.from({ length: columns }, (_, c) => {
              const index = row.index * columns + c;
              if (index >= total) return null;
              const image = pages.itemAt(index);
              if (!image) return <div key={c} className="thumb placeholder" aria-hidden="true" />;
              const name = image.sourcePath.split('/').pop() ?? image.sourcePath;
              return (
                <button
                  key={image.id}
                  type="button"
                  className={`thumb${selectedId === image.id ? ' selected' : ''}`}
                  onClick={() => onSelect(image)}
                  title={`${image.sourcePath}\n${image.width}×${image.height} · ${image.split}${image.group ? ` · ${image.group}` : ''}`}
                  aria-label={`Open ${name}`}
                  aria-pressed={selectedId === image.id}
                  data-testid="thumbnail"
                >
                  <img src={client.mediaUrl(`preview/${image.id}?maxSide=128&v=${image.sha256.slice(0, 16)}`)} alt="" loading="lazy" decoding="async" width={cell - 8} height={cell - 8} />
                  <span className="thumb-caption">
                    <span className="dot" style={{ background: splitColours[image.split] }} />
                    {name}
                  </span>
                </button>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
