export const pageIds = ['datasets', 'tasks', 'pretraining', 'results', 'evaluate', 'settings'] as const;
export type PageId = (typeof pageIds)[number];

export const pageTitles: Record<PageId, string> = {
  datasets: 'Datasets',
  tasks: 'Tasks',
  pretraining: 'Pretraining',
  results: 'Results',
  evaluate: 'Evaluate',
  settings: 'Settings',
};

/** "#/datasets/3" -> { page: 'datasets', rest: ['3'] } */
export function parseRoute(hash: string): { page: PageId; rest: string[] } {
  const [first, ...rest] = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const page = (pageIds as readonly string[]).includes(first ?? '') ? (first as PageId) : 'datasets';
  return { page, rest };
}
