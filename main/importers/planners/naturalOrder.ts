/** "2" before "10", "class_9" before "class_10": how people number classes. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' });
}

export function naturalSort(values: Iterable<string>): string[] {
  return [...values].sort(naturalCompare);
}
