import type { SplitName } from '../../../shared/api/catalog';

/** Fixed split colours across every chart (readable on light and dark panels). */
export const splitColours: Record<SplitName, string> = { train: '#4f7fd9', val: '#e0a030', test: '#3aa176' };
export const splitLabels: Record<SplitName, string> = { train: 'train', val: 'validation', test: 'test' };
