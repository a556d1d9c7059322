import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import { buildImportPlan } from '../../../main/importers/buildImportPlan';

describe('symbolic links in an imported folder', () => {
  it('are listed in the plan with their reason, never followed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-links-'));
    mkdirSync(path.join(root, 'cats'));
    writeFileSync(path.join(root, 'cats', 'a.png'), encode({ width: 4, height: 4, data: new Uint8Array(16), channels: 1, depth: 8 }));
    symlinkSync('/etc/passwd', path.join(root, 'cats', 'b.png'));
    symlinkSync('/etc', path.join(root, 'elsewhere'));
    const plan = await buildImportPlan({ path: root, format: 'images' });
    expect(plan.items.map((i) => i.key)).toEqual(['cats/a.png']);
    expect(plan.skipped).toEqual([
      { path: 'cats/b.png', reason: expect.stringMatching(/^symbolic link: not followed/) as unknown as string },
      { path: 'elsewhere', reason: expect.stringMatching(/^symbolic link: not followed/) as unknown as string },
    ]);
  });
});
