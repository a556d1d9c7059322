import { describe, expect, it } from 'vitest';
import { emptySplitWarnings, importOptionsFromFlags, inCliTerms, previewLines } from '../../../main/cli/importCommand';
import type { ImportPreview } from '../../../shared/api/import';

const base = { seed: 42, split: 'auto' as const, niftiAxis: 'axial' as const };

describe('umedpt import: flags for layouts', () => {
  it('--images / --masks / --pair-by / --mask-values become import options', () => {
    expect(importOptionsFromFlags({ ...base, images: 'images', masks: 'manual', pairBy: '{id}_*', maskValues: 'instances' })).toMatchObject({ imageFolder: 'images', maskFolder: 'manual', pairPattern: '{id}_*', maskValues: 'instances' });
  });

  it('refuses contradictions and folders leaving the dataset, naming the flag', () => {
    expect(importOptionsFromFlags({ ...base, masks: '../elsewhere' })).toMatch(/^--masks \.\.\/elsewhere: give a folder name/);
    expect(importOptionsFromFlags({ ...base, images: '/abs/images' })).toMatch(/^--images \/abs\/images/);
    expect(importOptionsFromFlags({ ...base, pairBy: '*_manual' })).toMatch(/--pair-by needs exactly one \{id\}/);
    expect(importOptionsFromFlags({ ...base, format: 'coco', masks: 'manual' })).toMatch(/go with --format paired-masks, not --format coco/);
    expect(importOptionsFromFlags({ ...base, asCopy: true, update: true })).toMatch(/--as-copy and --update exclude each other/);
  });

  it("speaks the importer's option names as flags", () => {
    expect(inCliTerms('say which one holds the labels: maskFolder "manual" or "mask"')).toBe('say which one holds the labels: --masks manual or --masks mask');
    expect(inCliTerms('with ifExists "update", or a second dataset with ifExists "copy"')).toBe('with --update, or a second dataset with --as-copy');
    expect(inCliTerms('if they are instance ids, use maskValues "instances"')).toBe('if they are instance ids, use --mask-values instances');
    expect(inCliTerms('name it with maskFolder "outlines" (and pairPattern "<glob with {id}>" for the names), or import the folders as classes with format "image-folder"')).toBe(
      "name it with --masks outlines (and --pair-by '<glob with {id}>' for the names), or import the folders as classes with --format image-folder",
    );
  });

  it('the dry-run lines show pairs, left-out files, empty splits and a source already imported', () => {
    const preview: ImportPreview = {
      path: '/d',
      format: 'paired-masks',
      kind: 'segmentation',
      datasetName: 'd',
      itemCount: 2,
      classes: ['0', '255'],
      multiLabel: false,
      splits: { train: 2, val: 0, test: 0 },
      publisherSplit: true,
      skipped: [{ path: 'images/3.png', reason: 'no mask with the identifier "3" in manual/' }],
      resumesDatasetId: null,
      existingDataset: { id: 4, name: 'd' },
      pairing: { rule: 'shared identifier', pairs: [{ image: 'images/1.png', mask: 'manual/1_m.png' }, { image: 'images/2.png', mask: 'manual/2_m.png' }] },
    };
    const text = previewLines(preview, false).join('\n');
    expect(text).toMatch(/pairs {4}2 \(paired by shared identifier\)\n {2}images\/1\.png {2}<- {2}manual\/1_m\.png/);
    expect(text).toMatch(/images\/3\.png: no mask with the identifier "3"/);
    expect(text).toMatch(/the val split is empty/);
    expect(text).toMatch(/already in the catalog as dataset 4 \("d"\): importing needs --update .* or --as-copy/);
    expect(emptySplitWarnings({ train: 0, val: 0, test: 0 })).toEqual([]);
  });
});
