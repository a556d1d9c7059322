import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../../renderer/src/lib/csv';

describe('csv', () => {
  it('quotes only fields that need it and doubles quotes', () => {
    expect(csvField('a.png')).toBe('a.png');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(3)).toBe('3');
  });

  it('joins a header and rows with CRLF, ending with one', () => {
    expect(toCsv(['path', 'status'], [['x.png', 'skipped'], ['y,z.png', 'imported']])).toBe('path,status\r\nx.png,skipped\r\n"y,z.png",imported\r\n');
  });
});
