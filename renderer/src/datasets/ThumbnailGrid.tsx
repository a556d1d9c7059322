import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useReducer, useRef, useState, type RefObject } from 'react';
import type { ImageSummary } from '../../../shared/api/catalog';
import { splitColours } from '../lib/splitColours';
import { gridColumns, visibleItemRange } from './gridLayout';
import type { ImagePages } from './useImagePages';
import type { ThumbnailCache, ThumbnailState } from './thumbnailCache';

const cell = 132;
const gap = 8;
const rowHeight = cell + gap + 18;

/**
 * A virtualised grid: only the rows on screen (plus a few) exist in the DOM,
 * so 100,000 images scroll like 100. The pages of the rows on screen load by
 * position, wherever the user jumps; their rows show placeholders meanwhile.
 * Rows are memoised on what they show, so a scroll step renders only the rows
 * that came into view. During a fling (more than `flingRowsPerFrame` rows a
 * frame) rows that come into view are drawn as light placeholders and get
 * their thumbnails once the scroll slows or stops: creating, fetching and
 * decoding images the user only flies past is what made frames drop.
 */
export function ThumbnailGrid({ pages, thumbnails, selectedId, onSelect }: { pages: ImagePages; thumbnails: ThumbnailCache; selectedId: number | null; onSelect(image: ImageSummary): void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth - 12));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const total = pages.total ?? 0;
  const columns = gridColumns(width, cell, gap);
  const rowCount = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 2, useFlushSync: false });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows.length > 0 ? rows[0]!.index : 0;
  const lastRow = rows.length > 0 ? rows[rows.length - 1]!.index : 0;
  const { ensureRange, version, itemAt } = pages;
  const scrollStep = useScrollStep(scrollRef);
  const fling = virtualizer.isScrolling && scrollStep.current > flingRowsPerFrame * rowHeight;
  // rows already showing thumbnails keep them; only rows coming into view during a fling stay light
  const fullRows = useRef(new Set<number>());
  const nowFull = new Set<number>();

  useEffect(() => {
    const range = visibleItemRange(firstRow, lastRow, columns, 10, total);
    if (range) ensureRange(range.first, range.last);
  }, [firstRow, lastRow, columns, total, ensureRange, version]);

  useEffect(() => {
    fullRows.current = nowFull;
  });

  return (
    <div ref={scrollRef} className="thumb-scroll" data-testid="thumbnail-grid" role="group" aria-label={`${total} images`}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => {
          const images: Array<ImageSummary | undefined | null> = Array.from({ length: columns }, (_, c) => {
            const index = row.index * columns + c;
            return index < total ? itemAt(index) : null;
          });
          const selectedHere = images.some((image) => image && image.id === selectedId) ? selectedId : null;
          const light = fling && !fullRows.current.has(row.index);
          if (!light) nowFull.add(row.index);
          return <ThumbRow key={row.key} start={row.start} columns={columns} signature={rowSignature(images)} images={images} light={light} thumbnails={thumbnails} selectedId={selectedHere} onSelect={onSelect} />;
        })}
      </div>
    </div>
  );
}

/**
 * Rows per scroll event above which a scroll counts as a fling. Browsers fire
 * at most one scroll event a frame, so this is rows per frame; counting per
 * event rather than per millisecond keeps a slow frame from turning a fling
 * back into a "slow" scroll that then loads everything.
 */
const flingRowsPerFrame = 1.5;

/** Pixels moved by an element's latest scroll event (0 after a pause), kept in a ref by a passive listener: no extra renders. */
function useScrollStep(ref: RefObject<HTMLElement | null>): RefObject<number> {
  const step = useRef(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let last = { top: el.scrollTop, time: performance.now() };
    const onScroll = () => {
      const now = { top: el.scrollTop, time: performance.now() };
      // a scroll after a pause (or a single jump) is not a fling
      step.current = now.time - last.time < 150 ? Math.abs(now.top - last.top) : 0;
      last = now;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [ref]);
  return step;
}

/** What a row shows, as a string: memo compares this instead of the (new every render) image array. */
function rowSignature(images: Array<ImageSummary | undefined | null>): string {
  return images.map((image) => (image === null ? 'x' : image === undefined ? '-' : image.id)).join(',');
}

interface ThumbRowProps {
  start: number;
  columns: number;
  signature: string;
  /** null: past the end; undefined: page not loaded yet */
  images: Array<ImageSummary | undefined | null>;
  /** placeholders only (during a fling) */
  light: boolean;
  thumbnails: ThumbnailCache;
  selectedId: number | null;
  onSelect(image: ImageSummary): void;
}

const ThumbRow = memo(
  function ThumbRow({ start, columns, signature, images, light, thumbnails, selectedId, onSelect }: ThumbRowProps) {
    const shown = useThumbnails(thumbnails, light ? [] : images.flatMap((image) => (image ? [image.id] : [])), light ? '' : signature);
    return (
      <div className="thumb-row" style={{ transform: `translateY(${start}px)`, gridTemplateColumns: `repeat(${columns}, ${cell}px)`, gap }}>
        {images.map((image, c) => {
          if (image === null) return null;
          if (image === undefined || light) return <div key={`p${c}`} className="thumb placeholder" aria-hidden="true" />;
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
              <ThumbImage state={shown.get(image.id)} />
              <span className="thumb-caption">
                <span className="dot" style={{ background: splitColours[image.split] }} />
                {name}
              </span>
            </button>
          );
        })}
      </div>
    );
  },
  (a, b) => a.start === b.start && a.columns === b.columns && a.signature === b.signature && a.light === b.light && a.thumbnails === b.thumbnails && a.selectedId === b.selectedId && a.onSelect === b.onSelect,
);

function ThumbImage({ state }: { state: ThumbnailState | undefined }) {
  if (state && 'url' in state) return <img src={state.url} alt="" decoding="async" width={cell - 8} height={cell - 8} />;
  return <span className={`thumb-img-slot${state ? ' failed' : ''}`} title={state && 'error' in state ? `no preview: ${state.error}` : undefined} />;
}

/** The cached thumbnails of some images; asks for the missing ones and repaints when they arrive. */
function useThumbnails(cache: ThumbnailCache, imageIds: number[], key: string): Map<number, ThumbnailState | undefined> {
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (imageIds.length === 0) return;
    const unsubscribe = cache.subscribe((arrived) => {
      if (imageIds.some((id) => arrived.has(id))) repaint();
    });
    cache.want(imageIds);
    return unsubscribe;
    // `key` stands for imageIds (a new array every render)
  }, [cache, key]);
  return new Map(imageIds.map((id) => [id, cache.get(id)]));
}
