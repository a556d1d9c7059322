import { describe, expect, it } from 'vitest';
import type { DatasetDetail, DatasetStatistics } from '../../../../shared/api/catalog';
import { runTaskConfigSchema } from '../../../../shared/runConfig';
import { backgroundOf, draftFromDataset, inputSizeNote, toRunTaskConfig, validateTaskDraft } from '../../../../renderer/src/tasks/taskDraft';

const dataset: DatasetDetail = {
  id: 3,
  name: 'blood cells',
  format: 'image-folder',
  kind: 'classification',
  multiLabel: false,
  sourcePath: '/data/cells',
  state: 'ready',
  imageCount: 60,
  classCount: 3,
  splitCounts: { train: 40, val: 10, test: 10 },
  publisherSplit: true,
  createdAt: '',
  updatedAt: '',
  deletedAt: null,
  classes: [
    { index: 0, name: 'neutrophil' },
    { index: 1, name: 'eosinophil' },
    { index: 2, name: 'basophil' },
  ],
  options: {},
};
const stats: DatasetStatistics = {
  datasetId: 3,
  imageCount: 60,
  splitCounts: { train: 40, val: 10, test: 10 },
  groupCount: 60,
  classCounts: [
    { classId: 0, name: 'neutrophil', images: { train: 25, val: 5, test: 5 }, boxes: { train: 0, val: 0, test: 0 } },
    { classId: 1, name: 'eosinophil', images: { train: 15, val: 5, test: 5 }, boxes: { train: 0, val: 0, test: 0 } },
    { classId: 2, name: 'basophil', images: { train: 0, val: 0, test: 0 }, boxes: { train: 0, val: 0, test: 0 } },
  ],
  sizeHistogram: [{ width: 64, height: 64, count: 60 }],
};

describe('task drafts', () => {
  it('starts with every class kept and the dataset kind', () => {
    const d = draftFromDataset(dataset, 'x');
    expect(d.kind).toBe('classification');
    expect(Object.keys(d.classes)).toEqual(['neutrophil', 'eosinophil', 'basophil']);
    expect(d.valSplit).toBe('val');
  });

  it('flags an empty class, too few images, a name clash and equal splits, each at its field', () => {
    const d = draftFromDataset(dataset, 'x');
    const problems = validateTaskDraft(d, dataset, stats, ['blood cells']);
    expect(problems).toContainEqual({ field: 'name', message: 'another task is already called "blood cells"' });
    expect(problems).toContainEqual({ field: 'classes', message: 'class "basophil" has no images in "train": leave it out or merge it' });
    const tiny = validateTaskDraft({ ...d, name: 't', trainSplit: 'test', valSplit: 'test' }, dataset, { ...stats, splitCounts: { train: 40, val: 10, test: 5 } }, []);
    expect(tiny.map((p) => p.field)).toEqual(expect.arrayContaining(['splits']));
    expect(tiny.some((p) => /too few training images: 5/.test(p.message))).toBe(true);
    expect(tiny.some((p) => /another split/.test(p.message))).toBe(true);
  });

  it('accepts a valid selection and refuses a single class after merging', () => {
    const d = { ...draftFromDataset(dataset, 'x'), name: 'wbc', classes: { neutrophil: 'neutrophil', eosinophil: 'eosinophil' } };
    expect(validateTaskDraft(d, dataset, stats, [])).toEqual([]);
    const merged = { ...d, classes: { neutrophil: 'granulocyte', eosinophil: 'granulocyte' } };
    expect(validateTaskDraft(merged, dataset, stats, []).map((p) => p.message)).toContain('classification needs at least 2 classes; only "granulocyte" is left');
    expect(validateTaskDraft({ ...d, classes: {} }, dataset, stats, []).map((p) => p.message)).toContain('select at least one class');
  });

  it('becomes a run task the config schema accepts, with renames as a map', () => {
    const d = { ...draftFromDataset(dataset, 'x'), name: 'wbc', classes: { neutrophil: 'granulocyte', eosinophil: 'granulocyte', basophil: 'basophil' } };
    const task = toRunTaskConfig(d, 16);
    expect(task.classes).toEqual({ include: ['neutrophil', 'eosinophil', 'basophil'], map: { neutrophil: 'granulocyte', eosinophil: 'granulocyte' } });
    expect(runTaskConfigSchema.parse(task)).toMatchObject({ name: 'wbc', batchSize: 16, source: { kind: 'catalog', datasetId: 3 } });
  });
});

describe('segmentation background', () => {
  const masks: DatasetDetail = { ...dataset, kind: 'segmentation', classes: [{ index: 0, name: '0' }, { index: 1, name: '255' }] };

  it('scores every class unless one is named or marked background, and tells the run', () => {
    const d = { ...draftFromDataset(masks, 'x'), name: 'em', classes: { '0': 'membrane', '255': 'cell' } };
    expect(backgroundOf(d)).toBeNull();
    expect(toRunTaskConfig(d, 4).classes).toMatchObject({ background: null, map: { '0': 'membrane', '255': 'cell' } });
    expect(backgroundOf({ ...d, classes: { '0': 'background', '255': 'cell' } })).toBe('background');
    expect(backgroundOf({ ...d, background: 'cell' })).toBe('cell');
    expect(toRunTaskConfig({ ...d, background: 'cell' }, 4).classes?.background).toBe('cell');
    expect(validateTaskDraft({ ...d, maxTrainImages: -3 }, masks, null, []).map((p) => p.message)).toContain('Training images must be a whole number, 0 or more (0 = all), not -3');
    // the marked background is not a foreground class: one other class must be kept
    expect(validateTaskDraft({ ...d, classes: { '255': 'cell' }, background: 'cell' }, masks, null, []).map((p) => p.message)).toContain('keep at least one class besides the background');
  });
});

describe('input size note', () => {
  it('warns about images far from the input size or far from square', () => {
    expect(inputSizeNote([{ width: 28, height: 28, count: 10 }], 64)).toMatch(/28×28, under half the 64 px/);
    expect(inputSizeNote([{ width: 2048, height: 2048, count: 1 }], 224)).toMatch(/over 8 times/);
    expect(inputSizeNote([{ width: 600, height: 200, count: 1 }], 224)).toMatch(/aspect 3\.0:1/);
    expect(inputSizeNote([{ width: 64, height: 64, count: 1 }], 64)).toBeNull();
    expect(inputSizeNote([], 64)).toBeNull();
  });
});
