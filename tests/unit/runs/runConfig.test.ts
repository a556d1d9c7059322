import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRunConfig } from '../../../shared/runConfig';
import { openCatalog, type Catalog } from '../../../main/catalog/openCatalog';
import { createDataset, setDatasetState } from '../../../main/catalog/datasetQueries';
import { writeImportedFile } from '../../../main/catalog/importWrites';
import { validateRunConfig } from '../../../main/runs/validateRunConfig';

const syntheticTask = (name: string, kind = 'classification', variant = 'cell-type-classification') => ({ name, kind, source: { kind: 'synthetic', variant } });

describe('run config schema', () => {
  it('accepts a minimal synthetic config and fills defaults', () => {
    const parsed = parseRunConfig({ epochs: 1, tasks: [syntheticTask('a')] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.model).toMatchObject({ encoder: 'small-cnn', inputSize: 64, squeezerWidth: 512 });
    expect(parsed.config.optimizer).toMatchObject({ kind: 'adamw', learningRate: 1e-4, weightDecay: 1e-2 });
    expect(parsed.config.tasks[0]).toMatchObject({ batchSize: 8, trainSplit: 'train', valSplit: 'val' });
  });

  it('gives one clear message per problem', () => {
    const parsed = parseRunConfig({
      model: { inputSize: 100 },
      tasks: [syntheticTask('a'), syntheticTask('a', 'segmentation', 'cell-type-classification')],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const messages = parsed.problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^epochs: set either epochs or steps/));
    expect(messages).toContainEqual(expect.stringMatching(/^model\.inputSize: input size 100 is not divisible by 32.*try 96/));
    expect(messages).toContainEqual(expect.stringMatching(/^tasks\.1\.name: task name "a" is used twice/));
    expect(messages).toContainEqual(expect.stringMatching(/^tasks\.1\.kind: .*provides classification labels, not segmentation/));
    expect(parsed.problems).toHaveLength(4);
  });

  it('rejects unknown synthetic variants and stray keys', () => {
    const parsed = parseRunConfig({ steps: 2, tasks: [{ ...syntheticTask('a'), source: { kind: 'synthetic', variant: 'nope' } }], extra: 1 });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['tasks.0.source.variant', '']));
  });
});

describe('validateRunConfig against the catalog', () => {
  let dir: string;
  let catalog: Catalog;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'umedpt-validate-'));
    catalog = openCatalog(dir);
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function addDataset(kind: 'classification' | 'segmentation', classes: string[], splits: Array<'train' | 'val' | 'test'>): number {
    const id = createDataset(catalog, { name: `ds-${kind}`, format: 'image-folder', kind, multiLabel: false, sourcePath: dir, publisherSplit: false, options: {}, classes });
    splits.forEach((split, i) => {
      const sha = `${id}`.padStart(4, '0') + `${i}`.padStart(60, '0');
      writeImportedFile(catalog, {
        datasetId: id,
        sourcePath: `img${i}.png`,
        file: { sha256: sha, size: 10, ext: '.png' },
        extraFiles: [],
        group: null,
        split,
        frames: [{ frameIndex: 0, width: 8, height: 8, channels: 1, bitDepth: 8, photometric: 'MONOCHROME2', modality: null, metadata: {}, labels: [i % classes.length], boxes: [] }],
        detail: null,
      });
    });
    setDatasetState(catalog, id, 'ready');
    return id;
  }

  it('names the unknown dataset, the missing class, the wrong label type and the empty training split', () => {
    const cls = addDataset('classification', ['benign', 'malignant'], ['train', 'val']);
    const noTrain = addDataset('classification', ['a', 'b'], ['val', 'test']);
    const catalogTask = (name: string, datasetId: number, extra: object = {}) => ({ name, kind: 'classification', source: { kind: 'catalog', datasetId }, ...extra });
    const { problems } = validateRunConfig(catalog, {
      steps: 1,
      tasks: [
        catalogTask('unknown', 999),
        catalogTask('missing-class', cls, { classes: { include: ['benign', 'cyst'] } }),
        { ...catalogTask('wrong-kind', cls), kind: 'segmentation' },
        catalogTask('no-train', noTrain),
        catalogTask('fine', cls),
      ],
    });
    const messages = problems.map((p) => p.message);
    expect(messages).toEqual([
      'task "unknown": unknown dataset 999 (see umedpt datasets / the Datasets page)',
      'task "missing-class": class "cyst" is missing from dataset "ds-classification" (it has benign, malignant)',
      'task "wrong-kind": dataset "ds-classification" has classification labels, not segmentation',
      'task "no-train": dataset "ds-classification" has no training images in split train',
    ]);
    expect(problems.map((p) => p.path)).toEqual(['tasks.0.source.datasetId', 'tasks.1.classes.include', 'tasks.2.kind', 'tasks.3.trainSplit']);
  });

  it('checks that initEncoderFrom is an exported encoder', () => {
    const { problems } = validateRunConfig(catalog, { steps: 1, model: { initEncoderFrom: dir }, tasks: [syntheticTask('a')] });
    expect(problems).toEqual([{ path: 'model.initEncoderFrom', message: expect.stringContaining('is not an exported encoder') }]);
  });
});
