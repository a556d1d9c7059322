import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SYNTHETIC_TASKS,
  VARIANT_SYNTHETIC_TASKS,
  generateSyntheticItem,
  generateSyntheticTask,
  generateSyntheticTasks,
} from '../../../../main/engine/data/synthetic';
import { CELL_TYPE_NAMES } from '../../../../main/engine/data/syntheticScene';

const small = { counts: { train: 24, val: 8, test: 8 }, seed: 5 };

describe('synthetic multi-task dataset', () => {
  it('makes one classification, one segmentation and one detection task with valid samples', () => {
    const tasks = generateSyntheticTasks(small);
    expect(tasks.map((t) => t.kind)).toEqual(['classification', 'segmentation', 'detection']);
    for (const task of tasks) {
      expect(task.train).toHaveLength(24);
      expect(task.val).toHaveLength(8);
      expect(task.test).toHaveLength(8);
      for (const s of task.train) {
        expect(s.size).toBe(64);
        expect(s.image).toHaveLength(64 * 64 * 3);
        expect(s.image.every(Number.isFinite)).toBe(true);
        // grey replicated into 3 channels
        expect(s.image[0]).toBe(s.image[1]);
        expect(s.image[1]).toBe(s.image[2]);
        if (task.kind === 'classification') expect(s.label).toBeGreaterThanOrEqual(0);
        if (task.kind === 'classification') expect(s.label).toBeLessThan(task.classNames.length);
        if (task.kind === 'segmentation') expect(Math.max(...s.mask!)).toBeLessThan(task.classNames.length);
        if (task.kind === 'detection') {
          expect(s.boxes!.length).toBeGreaterThan(0);
          for (const b of s.boxes!) {
            expect(b.x).toBeGreaterThanOrEqual(0);
            expect(b.y).toBeGreaterThanOrEqual(0);
            expect(b.x + b.w).toBeLessThanOrEqual(64);
            expect(b.y + b.h).toBeLessThanOrEqual(64);
            expect(b.w).toBeGreaterThanOrEqual(5); // objects are not tiny
            expect(b.classId).toBeLessThan(task.classNames.length);
          }
        }
      }
    }
  });

  it('classification splits are balanced: sample i has class i mod C', () => {
    const task = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[0]!, small);
    expect(task.train.map((s) => s.label)).toEqual(Array.from({ length: 24 }, (_, i) => i % 3));
    expect(() => generateSyntheticItem(DEFAULT_SYNTHETIC_TASKS[0]!, 64, 1, 3)).toThrow(/cannot draw label 3/);
  });

  it('is reproducible for a seed and changes with the seed', () => {
    const a = generateSyntheticTasks(small);
    const b = generateSyntheticTasks(small);
    const c = generateSyntheticTasks({ ...small, seed: 6 });
    expect(a[1]!.train[3]!.image).toEqual(b[1]!.train[3]!.image);
    expect(a[2]!.train[3]!.boxes).toEqual(b[2]!.train[3]!.boxes);
    expect(a[1]!.train[3]!.image).not.toEqual(c[1]!.train[3]!.image);
  });

  it('a sample does not depend on the number of samples generated before it', () => {
    const few = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[0]!, { counts: { train: 3, val: 0, test: 0 } });
    const many = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[0]!, { counts: { train: 30, val: 0, test: 0 } });
    expect(many.train[2]!.image).toEqual(few.train[2]!.image);
  });

  it('labels agree with the rendered scene: dominant type is the majority, masks and boxes match the cells', () => {
    const [cls, seg, det] = DEFAULT_SYNTHETIC_TASKS;
    for (let i = 0; i < 40; i++) {
      const c = generateSyntheticItem(cls!, 64, 1000 + i);
      const counts = [0, 0, 0];
      c.scene.cells.forEach((cell) => counts[cell.type]!++);
      const best = counts[c.label!]!;
      expect(counts.filter((n, t) => t !== c.label && n >= best)).toHaveLength(0);

      const s = generateSyntheticItem(seg!, 64, 2000 + i);
      for (const cell of s.scene.cells) {
        // every mask pixel of the cell's class lies inside some box of that class
        const b = cell.box;
        let inside = 0;
        for (let y = b.y; y < b.y + b.h; y++) for (let x = b.x; x < b.x + b.w; x++) if (s.mask![y * 64 + x] === cell.type + 1) inside++;
        expect(inside).toBeGreaterThan(0.3 * b.w * b.h);
      }

      const d = generateSyntheticItem(det!, 64, 3000 + i);
      expect(d.boxes!.map((b) => b.classId)).toEqual(d.scene.cells.map((cell) => cell.type));
      for (const b of d.boxes!) {
        // the box is tight: its border rows and columns touch the object
        const hasObject = (x: number, y: number): boolean => d.scene.mask[y * 64 + x] === b.classId + 1;
        const rowHas = (y: number): boolean => Array.from({ length: b.w }, (_, k) => hasObject(b.x + k, y)).some(Boolean);
        const colHas = (x: number): boolean => Array.from({ length: b.h }, (_, k) => hasObject(x, b.y + k)).some(Boolean);
        expect(rowHas(b.y) && rowHas(b.y + b.h - 1) && colHas(b.x) && colHas(b.x + b.w - 1)).toBe(true);
      }
    }
  });

  it('cell types differ in intensity as documented (round brightest body, spiky has a bright nucleus)', () => {
    const seg = DEFAULT_SYNTHETIC_TASKS[1]!;
    const sums = [0, 0, 0, 0];
    const ns = [0, 0, 0, 0];
    for (let i = 0; i < 30; i++) {
      const it = generateSyntheticItem({ ...seg, appearance: { noise: 0, illumination: 0 } }, 64, i);
      it.scene.mask.forEach((m, p) => {
        sums[m]! += it.scene.grey[p]!;
        ns[m]!++;
      });
    }
    const mean = sums.map((s, k) => s / ns[k]!);
    expect(mean[1]).toBeGreaterThan(mean[2]! + 0.15); // round > elongated
    expect(mean[2]).toBeGreaterThan(mean[3]!); // elongated > spiky body on average
    expect(mean[3]).toBeGreaterThan(mean[0]! + 0.15); // any cell well above background
  });

  it('class names and rule validation', () => {
    const tasks = generateSyntheticTasks({ ...small, tasks: VARIANT_SYNTHETIC_TASKS });
    expect(tasks[0]!.classNames).toHaveLength(4);
    expect(tasks[1]!.classNames).toEqual(['background', 'cell']);
    expect(tasks[2]!.classNames).toEqual([...CELL_TYPE_NAMES]);
    // count rule: label + 1 cells
    const countSpec = VARIANT_SYNTHETIC_TASKS[0]!;
    for (let i = 0; i < 10; i++) {
      const it = generateSyntheticItem(countSpec, 64, i);
      expect(it.scene.cells.length).toBe(it.label! + 1);
    }
    expect(() => generateSyntheticItem({ name: 'x', kind: 'detection', rule: 'cellCount' }, 64, 1)).toThrow(/does not apply/);
    expect(() => generateSyntheticItem(DEFAULT_SYNTHETIC_TASKS[0]!, 50, 1)).toThrow(/multiple of 32/);
  });

  it('scales to larger images', () => {
    const it = generateSyntheticItem(DEFAULT_SYNTHETIC_TASKS[2]!, 128, 9);
    expect(it.scene.grey).toHaveLength(128 * 128);
    expect(Math.min(...it.boxes!.map((b) => Math.max(b.w, b.h)))).toBeGreaterThanOrEqual(12);
  });
});
