/** Columns that fit a width with a minimum cell size and a gap. */
export function gridColumns(width: number, minCell: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minCell + gap)));
}

/**
 * How many more items the grid must load to show rows [.., lastRow] plus a
 * margin of rows ahead, given what it has. 0 when it has enough or all.
 */
export function itemsToLoad(loaded: number, total: number, columns: number, lastVisibleRow: number, aheadRows: number): number {
  const needed = Math.min(total, (lastVisibleRow + 1 + aheadRows) * columns);
  return Math.max(0, needed - loaded);
}
