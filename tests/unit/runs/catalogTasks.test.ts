import { describe, expect, it } from 'vitest';
import { classRemap, remapSample, withDatasetBackground } from '../../../main/runs/catalogTasks';
import { runTaskConfigSchema } from '../../../shared/runConfig';
import type { TaskSample } from '../../../main/engine/data/taskSample';

const image = new Float32Array(32 * 32 * 3);

describe('class selection and mapping of catalog tasks', () => {
  it('keeps only included classes and drops classification images left without one', () => {
    const remap = classRemap(['benign', 'malignant', 'normal'], { include: ['malignant', 'normal'] }, 'classification');
    expect(remap).toEqual({ classNames: ['malignant', 'normal'], map: [null, 0, 1] });
    expect(remapSample({ size: 32, image, label: 2 }, remap, 'classification', false)?.label).toBe(1);
    expect(remapSample({ size: 32, image, label: 0 }, remap, 'classification', false)).toBeNull();
  });

  it('merges classes mapped to one name, and builds multi-hot vectors for multi-label tasks', () => {
    const remap = classRemap(['cyst', 'tumour', 'stone'], { map: { cyst: 'lesion', tumour: 'lesion' } }, 'classification');
    expect(remap).toEqual({ classNames: ['lesion', 'stone'], map: [0, 0, 1] });
    expect(remapSample({ size: 32, image, label: [0, 2] }, remap, 'classification', true)?.label).toEqual([1, 1]);
  });

  it('turns excluded segmentation classes into the background, the class named so', () => {
    const remap = classRemap(['background', 'nucleus', 'membrane'], { include: ['membrane'] }, 'segmentation');
    expect(remap).toEqual({ classNames: ['background', 'membrane'], map: [0, 0, 1], backgroundClass: 0 });
    const mask = Uint8Array.from({ length: 32 * 32 }, (_, i) => i % 3);
    const out = remapSample({ size: 32, image, mask }, remap, 'segmentation', false)!;
    expect(Array.from(out.mask!.slice(0, 6))).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('scores every segmentation class unless one is background: class 0 is not special', () => {
    expect(classRemap(['0', '255'], { map: { '0': 'membrane', '255': 'cell' } }, 'segmentation')).toEqual({ classNames: ['membrane', 'cell'], map: [0, 1], backgroundClass: null });
    expect(classRemap(['vessel', 'bg'], undefined, 'segmentation').backgroundClass).toBe(1);
    expect(classRemap(['membrane', 'cell'], { background: 'cell' }, 'segmentation').backgroundClass).toBe(1);
    expect(classRemap(['background', 'cell'], { background: null }, 'segmentation').backgroundClass).toBeNull();
    // dropping a class from a dataset without background adds one for its pixels
    const added = classRemap(['membrane', 'cell', 'mito'], { include: ['membrane', 'cell'] }, 'segmentation');
    expect(added).toEqual({ classNames: ['membrane', 'cell', 'background'], map: [0, 1, 2], backgroundClass: 2 });
    const mask = Uint8Array.from([0, 1, 2, 2]);
    expect(Array.from(remapSample({ size: 2, image, mask }, added, 'segmentation', false)!.mask!)).toEqual([0, 1, 2, 2]);
  });

  it('takes the background marked at import unless the task names one', () => {
    const task = runTaskConfigSchema.parse({ name: 'em', kind: 'segmentation', source: { kind: 'catalog', datasetId: 1 }, classes: { map: { '255': 'cell' } } });
    expect(withDatasetBackground(task, { backgroundClass: '255' })).toEqual({ map: { '255': 'cell' }, background: 'cell' });
    expect(withDatasetBackground(task, { backgroundClass: null })?.background).toBeNull();
    expect(withDatasetBackground(task, {})).toEqual(task.classes);
    expect(withDatasetBackground({ ...task, classes: { background: null } }, { backgroundClass: '255' })).toEqual({ background: null });
    expect(classRemap(['0', '255'], withDatasetBackground(task, { backgroundClass: '255' }), 'segmentation')).toEqual({ classNames: ['0', 'cell'], map: [0, 1], backgroundClass: 1 });
  });

  it('drops boxes of excluded detection classes and renumbers the rest', () => {
    const remap = classRemap(['Platelets', 'RBC', 'WBC'], { include: ['WBC', 'Platelets'] }, 'detection');
    const sample: TaskSample = { size: 32, image, boxes: [{ x: 1, y: 1, w: 4, h: 4, classId: 1 }, { x: 2, y: 2, w: 3, h: 3, classId: 2 }] };
    expect(remapSample(sample, remap, 'detection', false)?.boxes).toEqual([{ x: 2, y: 2, w: 3, h: 3, classId: 1 }]);
  });
});
