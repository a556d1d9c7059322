import type { SplitName } from '../../../shared/api/catalog';

const names: Record<string, SplitName> = {
  train: 'train',
  training: 'train',
  tr: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  test: 'test',
  testing: 'test',
  ts: 'test',
};

/** The split a publisher's folder / file / column value names, if any. */
export function splitFromName(name: string): SplitName | null {
  return names[name.trim().toLowerCase()] ?? null;
}
