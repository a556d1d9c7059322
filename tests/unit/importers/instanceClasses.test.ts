import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { instanceClassList, instanceClassesFromTable, instanceClassesFromTypeMap, readInstanceClassTable, tableRowsFor } from '../../../main/importers/instanceClasses';
import { buildImportPlan } from '../../../main/importers/buildImportPlan';
import { maskPngBytes, tempDir, writeFile, writePng } from './generatedFixtures';

const frame = (values: number[]) => ({ width: values.length, height: 1, values: Uint16Array.from(values) });

describe('instance classes', () => {
  it('an instance takes the class most of its pixels have; 0 pixels do not vote; a tie goes to the lower class value', () => {
    const instances = frame([5, 5, 5, 5, 9, 9, 0, 12, 12]);
    const types = frame([2, 2, 1, 0, 3, 1, 4, 0, 0]);
    const valueToClass = new Map([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    // 12 has only 0 pixels: the file's skip reason
    expect(() => instanceClassesFromTypeMap(instances, types, 'type_map/a.png', valueToClass)).toThrow('type_map/a.png: instance 12 has no class (its pixels are 0 in the class map)');
    const classes = instanceClassesFromTypeMap(frame([5, 5, 5, 5, 9, 9, 0]), frame([2, 2, 1, 0, 3, 1, 4]), 'type_map/a.png', valueToClass);
    expect([...classes]).toEqual([
      [5, 2],
      [9, 1],
    ]);
    expect(() => instanceClassesFromTypeMap(frame([5]), frame([7]), 'type_map/a.png', valueToClass)).toThrow(/class value 7 \(instance 5\) is not a class of this dataset/);
  });

  it('classes: background, then every class value seen or named, in value order, unnamed ones "class N"', () => {
    expect(instanceClassList([3, 1], new Map([[5, 'lymphocyte']]))).toEqual({
      classes: ['background', 'class 1', 'class 3', 'lymphocyte'],
      valueToClass: [
        { value: 1, classId: 1 },
        { value: 3, classId: 2 },
        { value: 5, classId: 3 },
      ],
    });
    expect(instanceClassList([], new Map([[0, 'bg']])).classes).toEqual(['bg']);
  });

  it('reads file,instance_id,class: rows by path, name or stem, class ids or names; a bad row or a bad header is the reason, naming the table', () => {
    const t = tempDir();
    try {
      const names = new Map([
        [0, 'background'],
        [2, 'epithelial'],
      ]);
      const file = writeFile(path.join(t.dir, 't.csv'), 'class,file,instance_id\nepithelial,gt/a.png,1\n3,a.png,2\n2,b,1\nnope,c.png,1\n1,d,0\n');
      const table = readInstanceClassTable(file, 't.csv', names);
      // rows written with the path and with the name are one mask's
      expect(tableRowsFor(table, 'gt/a.png')).toEqual({
        entries: [
          [1, 2],
          [2, 3],
        ],
      });
      expect(tableRowsFor(table, 'masks/b.tif')).toEqual({ entries: [[1, 2]] });
      expect(tableRowsFor(table, 'gt/c.png')).toEqual({ problem: 't.csv line 5: class "nope" is neither a class id nor a name in the class names' });
      expect(tableRowsFor(table, 'gt/d.png')).toEqual({ problem: 't.csv line 6: instance_id "0" is not an instance id (a whole number from 1)' });
      expect(tableRowsFor(table, 'gt/e.png')).toEqual({ problem: 't.csv has no rows for e.png' });
      expect(() => instanceClassesFromTable([{ id: 1, x: 0, y: 0, w: 1, h: 1 }, { id: 2, x: 0, y: 0, w: 1, h: 1 }], [[1, 2]], 't.csv', 'gt/a.png', new Map([[2, 1]]))).toThrow('t.csv has no class for instance 2 of gt/a.png');
      const badHeader = readInstanceClassTable(writeFile(path.join(t.dir, 'u.csv'), 'name,id,type\na,1,1\n'), 'u.csv', names);
      expect(tableRowsFor(badHeader, 'gt/a.png')).toEqual({ problem: 'u.csv: the first row must name the columns file, instance_id and class' });
    } finally {
      t.cleanup();
    }
  });

  it('a type_map/ beside class-valued masks (maskValues "classes") is left alone: no instances, no class-map skips', async () => {
    const t = tempDir();
    try {
      for (const name of ['a', 'b']) {
        writePng(path.join(t.dir, 'images', `${name}.png`), { width: 8, height: 8, seed: name.charCodeAt(0) });
        writeFile(path.join(t.dir, 'masks', `${name}.png`), maskPngBytes(8, 8, 0, 1));
        writeFile(path.join(t.dir, 'type_map', `${name}.png`), maskPngBytes(8, 8, 0, 2));
      }
      writeFile(path.join(t.dir, 'type_map', 'orphan.png'), maskPngBytes(8, 8, 0, 2));
      const asInstances = await buildImportPlan({ path: t.dir });
      expect(asInstances.instanceMasks).toBe(true);
      expect(asInstances.classes).toEqual(['background', 'class 2']);
      expect(asInstances.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/^class map without an image/));
      const asClasses = await buildImportPlan({ path: t.dir, options: { maskValues: 'classes' } });
      expect(asClasses.instanceMasks).toBeUndefined();
      expect(asClasses.classes).toEqual(['0', '1']);
      expect(asClasses.skipped).toEqual([]);
      expect(asClasses.items.every((i) => !i.skip && i.mask && !i.mask.typeMap)).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});
