import { describe, expect, it } from 'vitest';
import { keyFromGlob, pairFiles } from '../../../main/importers/planners/maskPairing';

describe('pairing images with masks by a shared identifier', () => {
  it('pairs names that share only their number, whatever else they hold', () => {
    const result = pairFiles(['21_training.tif', '22_training.tif', '23_training.tif'], ['21_manual1.gif', '22_manual1.gif', '40_manual1.gif']);
    expect(result.pairs).toEqual([
      { image: '21_training.tif', mask: '21_manual1.gif', id: '21' },
      { image: '22_training.tif', mask: '22_manual1.gif', id: '22' },
    ]);
    expect(result.unpairedImages).toEqual([{ file: '23_training.tif', reason: 'no mask with the identifier "23"' }]);
    expect(result.unpairedMasks.map((m) => m.file)).toEqual(['40_manual1.gif']);
  });

  it('keeps the same-name rule where names are equal, extensions free', () => {
    const result = pairFiles(['a.png', 'b.png'], ['a.tif', 'b.gif']);
    expect(result.rule).toBe('same name');
    expect(result.pairs.map((p) => p.mask)).toEqual(['a.tif', 'b.gif']);
  });

  it('reads leading zeros as the same number and pairs within sub-folders only', () => {
    const result = pairFiles(['train/img_007.png', 'test/img_007.png'], ['train/7_seg.png', 'test/007_seg.png']);
    expect(result.pairs).toEqual([
      { image: 'train/img_007.png', mask: 'train/7_seg.png', id: '7' },
      { image: 'test/img_007.png', mask: 'test/007_seg.png', id: '7' },
    ]);
  });

  it('leaves an identifier that names two masks unpaired, saying so', () => {
    const result = pairFiles(['5_x.png', '6_x.png'], ['5_a.png', '5_b.png', '6_a.png'], '{id}_*');
    expect(result.pairs.map((p) => p.image)).toEqual(['6_x.png']);
    expect(result.unpairedImages).toEqual([{ file: '5_x.png', reason: 'its identifier "5" names several masks' }]);
  });

  it('a user glob reads the identifier with or without the extension; a glob without one {id} is refused', () => {
    expect(keyFromGlob('{id}_*')('sub/21_training.tif')).toBe('21');
    expect(keyFromGlob('case{id}.png')('case12.png')).toBe('12');
    expect(keyFromGlob('case{id}')('case12.png')).toBe('12');
    expect(keyFromGlob('case{id}')('other12.png')).toBeNull();
    expect(() => keyFromGlob('*_manual')).toThrow(/exactly one \{id\}/);
    const result = pairFiles(['p1-ct.png', 'p2-ct.png'], ['seg-p1.png', 'seg-p2.png'], '*p{id}*');
    expect(result.pairs.map((p) => [p.image, p.mask])).toEqual([
      ['p1-ct.png', 'seg-p1.png'],
      ['p2-ct.png', 'seg-p2.png'],
    ]);
  });
});
