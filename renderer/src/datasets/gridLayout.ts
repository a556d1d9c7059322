/** Columns that fit a width with a minimum cell size and a gap. */
export function gridColumns(width: number, minCell: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minCell + gap)));
}

/** Item index range [first, last] shown by rows [firstRow, lastRow] plus `marginRows` either side, clipped to the list. */
export function visibleItemRange(firstRow: number, lastRow: number, columns: number, marginRows: number, total: number): { first: number; last: number } | null {
  if (total <= 0) return null;
  const first = Math.max(0, (firstRow - marginRows) * columns);
  const last = Math.min(total - 1, (lastRow + 1 + marginRows) * columns - 1);
  return first <= last ? { first, last } : null;
}

/** Page numbers holding items [first, last] that are neither cached nor on their way. */
export function pagesToLoad(range: { first: number; last: number }, pageSize: number, have: (page: number) => boolean): number[] {
  const pages: number[] = [];
  for (let p = Math.floor(range.first / pageSize); p <= Math.floor(range.last / pageSize); p++) if (!have(p)) pages.push(p);
  return pages;
}

/**
 * Cached pages to drop so at most `maxPages` stay: the ones farthest from the
 * page the user looks at go first, so scrolling back nearby needs no reload.
 */
export function pagesToEvict(cached: readonly number[], focusPage: number, maxPages: number): number[] {
  if (cached.length <= maxPages) return [];
  return [...cached].sort((a, b) => Math.abs(b - focusPage) - Math.abs(a - focusPage)).slice(0, cached.length - maxPages);
}
