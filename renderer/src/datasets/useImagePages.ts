import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageSummary, SplitName } from '../../../shared/api/catalog';
import { useClient } from '../client/clientContext';

export interface ImageFilters {
  split?: SplitName;
  classId?: number;
  group?: string;
}

const pageSize = 1000;

/**
 * The images of a dataset, loaded page by page (keyset cursor) as far as the
 * grid needs them. Items live in a ref so 100,000 entries are not copied on
 * every page; `version` tells React when to repaint.
 */
export function useImagePages(datasetId: number, filters: ImageFilters) {
  const client = useClient();
  const items = useRef<ImageSummary[]>([]);
  const cursor = useRef<number | null | undefined>(undefined);
  const loading = useRef(false);
  const wanted = useRef(0);
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([datasetId, filters]);

  const pump = useCallback(async () => {
    if (loading.current) return;
    const gen = generation.current;
    loading.current = true;
    try {
      while (gen === generation.current && cursor.current !== null && (cursor.current === undefined || items.current.length < wanted.current)) {
        const page = await client.call('catalog/listImages', {
          datasetId,
          ...filters,
          ...(cursor.current !== undefined ? { after: cursor.current } : {}),
          limit: pageSize,
        });
        if (gen !== generation.current) return;
        items.current.push(...page.items);
        cursor.current = page.nextCursor;
        setTotal(page.total);
        setVersion((v) => v + 1);
      }
    } catch (e) {
      if (gen === generation.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (gen === generation.current) loading.current = false;
    }
    // `key` stands for the filters: a new filters object with the same content keeps the loader
  }, [client, datasetId, key]);

  useEffect(() => {
    generation.current++;
    items.current = [];
    cursor.current = undefined;
    loading.current = false;
    wanted.current = pageSize;
    setTotal(null);
    setError(null);
    setVersion((v) => v + 1);
    void pump();
  }, [pump]);

  const ensure = useCallback(
    (count: number) => {
      if (count <= wanted.current) return;
      wanted.current = count;
      void pump();
    },
    [pump],
  );

  return { items: items.current, total, version, error, ensure };
}
