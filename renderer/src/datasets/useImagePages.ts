import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageSummary, SplitName } from '../../../shared/api/catalog';
import { useClient } from '../client/clientContext';
import { pagesToEvict, pagesToLoad } from './gridLayout';

export interface ImageFilters {
  split?: SplitName;
  classId?: number;
  group?: string;
}

const pageSize = 500;
/** 100 pages = 50,000 summaries at most in memory; farther pages reload on demand. */
const maxCachedPages = 100;

export interface ImagePages {
  total: number | null;
  /** changes whenever a page arrives (repaint) */
  version: number;
  error: string | null;
  itemAt(index: number): ImageSummary | undefined;
  /** make items [first, last] available (loads their pages by offset) */
  ensureRange(first: number, last: number): void;
}

/**
 * The images of a dataset as a sparse list of pages loaded by position
 * (`offset`), so a grid dragged to row 30,000 of 100,000 loads the page it
 * shows instead of every page before it. Pages live in a ref (no copying of
 * 100,000 entries per update); `version` tells React when to repaint.
 */
export function useImagePages(datasetId: number, filters: ImageFilters): ImagePages {
  const client = useClient();
  const pages = useRef(new Map<number, ImageSummary[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([datasetId, filters]);

  const loadPage = useCallback(
    async (page: number) => {
      const gen = generation.current;
      inFlight.current.add(page);
      try {
        const result = await client.call('catalog/listImages', { datasetId, ...filters, offset: page * pageSize, limit: pageSize });
        if (gen !== generation.current) return;
        pages.current.set(page, result.items);
        for (const p of pagesToEvict([...pages.current.keys()], page, maxCachedPages)) pages.current.delete(p);
        setTotal(result.total);
        setVersion((v) => v + 1);
      } catch (e) {
        if (gen === generation.current) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (gen === generation.current) inFlight.current.delete(page);
      }
    },
    // `key` stands for the filters: a new filters object with the same content keeps the loader
    [client, datasetId, key],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    setTotal(null);
    setError(null);
    setVersion((v) => v + 1);
    void loadPage(0);
  }, [loadPage]);

  const ensureRange = useCallback(
    (first: number, last: number) => {
      for (const page of pagesToLoad({ first, last }, pageSize, (p) => pages.current.has(p) || inFlight.current.has(p))) void loadPage(page);
    },
    [loadPage],
  );

  const itemAt = useCallback((index: number) => pages.current.get(Math.floor(index / pageSize))?.[index % pageSize], []);

  return { total, version, error, itemAt, ensureRange };
}
