import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';

const home = mkdtempSync(path.join(tmpdir(), 'umedpt-evaluate-cli-'));
const previousHome = process.env.UMEDPT_HOME;
beforeAll(() => {
  process.env.UMEDPT_HOME = home;
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.UMEDPT_HOME;
  else process.env.UMEDPT_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('umedpt evaluate', () => {
  it('runs a study from a config file, prints rows and curves, and copies the outputs to --out', async () => {
    const file = path.join(home, 'study.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'cli study',
        // the first random encoder is the baseline the second one's saving is stated against
        encoders: [{ kind: 'random', squeezerWidth: 16, label: 'random' }, { kind: 'random', squeezerWidth: 8, label: 'narrow' }],
        task: { name: 'count', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification', counts: { train: 40, test: 12 } } },
        fractions: [50, 100],
        seeds: 1,
        inputSize: 32,
        linearEpochs: 30,
        backend: 'cpu',
      }),
    );
    const c = capture();
    const out = path.join(home, 'out');
    expect(await runCli(['evaluate', file, '--out', out], c.io), c.err.join('\n')).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/\[1\/4\] random frozen 50% seed 0 \(20 images\): accuracy/);
    // one seed: the value alone, no "± 0.000"
    expect(text).toMatch(/balancedAccuracy, mean ± sd over seeds:\n {2}random \(frozen\): 50%: \d\.\d{3} \(1 seed\) {2}100%: /);
    expect(text).not.toContain('± 0.000');
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as { savings: Array<{ encoder: string; baseline: string; statement: string }> };
    expect(results.savings).toHaveLength(1);
    expect(results.savings[0]).toMatchObject({ encoder: 'narrow', baseline: 'random' });
    expect(text).toContain(`labels saved (balancedAccuracy, against random initialisation):\n  ${results.savings[0]!.statement} (frozen)`);
    expect(results.savings[0]!.statement).toMatch(/^narrow (reaches random's 100 %-label score \(\d\.\d{3}\) with (50|100) % of the labels|does not reach random's 100 %-label score \(\d\.\d{3}\) up to 100 % of the labels)$|^no meaningful baseline, so no saving is stated for narrow: random's (100 %-label score \(\d\.\d{3}, 1 seed\) is not clearly above chance \(0\.250, by more than 0\.02\)|score does not clearly rise with labels .*)$/);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('Labels saved');
    for (const name of ['results.csv', 'results.json', 'label-efficiency.svg', 'label-efficiency.png', 'report.html']) expect(existsSync(path.join(out, name)), name).toBe(true);
    expect(readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
  }, 300_000);

  it('names the file and the fields of a bad config, and needs a file', async () => {
    const file = path.join(home, 'bad.json');
    writeFileSync(file, JSON.stringify({ encoders: [], task: { kind: 'classification', source: { kind: 'synthetic', variant: 'nope' } }, fractions: [0] }));
    const c = capture();
    expect(await runCli(['evaluate', file], c.io)).toBe(2);
    const text = c.err.join('\n');
    expect(text).toContain(`${file}: `);
    expect(text).toMatch(/encoders: a study needs at least one encoder/);
    expect(text).toMatch(/task\.source\.variant/);
    expect(text).toMatch(/fractions\.0/);
    const none = capture();
    expect(await runCli(['evaluate'], none.io)).toBe(2);
    expect(none.err.join('\n')).toMatch(/usage: umedpt evaluate/);
    const missing = capture();
    expect(await runCli(['evaluate', path.join(home, 'missing.json')], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toMatch(/missing\.json: no such file/);
  });
});
