/**
 * The UI's export file name: `<run name>-encoder.zip`, always a plain file
 * name the Electron save dialog accepts (shared/saveFile.ts), whatever the run
 * is called.
 */
import { describe, expect, it } from 'vitest';
import { exportArchiveFileName } from '../../../shared/api/runs';
import { saveFileRequestSchema } from '../../../shared/saveFile';

const savable = (fileName: string) => saveFileRequestSchema.safeParse({ fileName, mime: 'application/zip', bytes: new Uint8Array([80, 75]) }).success;

describe('export archive file name', () => {
  it('is the run name with what was exported', () => {
    expect(exportArchiveFileName('journey run', 'encoder')).toBe('journey run-encoder.zip');
    expect(exportArchiveFileName('journey run', 'model')).toBe('journey run-model.zip');
  });

  it('turns characters a file system refuses into _ and never yields a path', () => {
    expect(exportArchiveFileName('a/b\\c:d*e?"f<g>h|i', 'encoder')).toBe('a_b_c_d_e__f_g_h_i-encoder.zip');
    expect(exportArchiveFileName('line\nbreak\u0007', 'model')).toBe('line_break_-model.zip');
    expect(exportArchiveFileName('..', 'encoder')).toBe('run-encoder.zip');
    expect(exportArchiveFileName('   ', 'encoder')).toBe('run-encoder.zip');
    expect(exportArchiveFileName('x'.repeat(500), 'encoder')).toHaveLength(150 + '-encoder.zip'.length);
    for (const name of ['journey run', '../../etc/passwd', 'C:evil', '..', '', 'x'.repeat(500), 'tab\there']) {
      expect(savable(exportArchiveFileName(name, 'encoder')), name).toBe(true);
      expect(savable(exportArchiveFileName(name, 'model')), name).toBe(true);
    }
  });
});
