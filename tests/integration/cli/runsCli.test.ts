/**
 * The headless CLI over the same services: `umedpt demo --steps 2` end to end
 * in a fresh workspace (import of the shipped samples, training, export),
 * then runs / export / pretrain with a bad config, and Ctrl-C during
 * `umedpt pretrain` pausing the run so that `umedpt resume` finishes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../main/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('umedpt runs commands', () => {
  let home: string;
  const saved = process.env.UMEDPT_HOME;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-cli-runs-'));
    process.env.UMEDPT_HOME = home;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.UMEDPT_HOME;
    else process.env.UMEDPT_HOME = saved;
    rmSync(home, { recursive: true, force: true });
  });

  let demoRunId = '';

  it('demo --steps 2 imports the samples, trains the three synthetic tasks and exports the encoder', async () => {
    const c = capture();
    const code = await runCli(['demo', '--steps', '2'], c.io);
    const text = c.out.join('\n');
    expect(code, `${text}\n${c.err.join('\n')}`).toBe(0);
    expect(text).toMatch(/BCCD blood cells \(sample\): 40 images \(24\/8\/8\), detection, 3 classes/);
    expect(text).toMatch(/ISBI-2012 EM membranes \(sample\): 6 images .*segmentation, 2 classes: membrane, cell/);
    expect(text).toMatch(/RetinaMNIST \(sample\): 280 images \(200\/40\/40\), classification, 5 classes/);
    expect(text).toMatch(/synthetic-cell-detection: 144 images \(96\/24\/24\), detection/);
    expect(text).toMatch(/epoch 1\/1 \[#+\] 2\/2 {2}loss cell-type \d\.\d{3} {2}cell-masks \d\.\d{3} {2}cell-boxes \d\.\d{3}/);
    expect(text).toMatch(/^ {2}cell-type {3}accuracy \d\.\d{3}/m);
    expect(text).toMatch(/^ {2}cell-masks {2}meanDice \d\.\d{3}/m);
    expect(text).toMatch(/^ {2}cell-boxes {2}map50 \d\.\d{3}/m);
    demoRunId = /run (run-\S+): 3 tasks/.exec(text)![1]!;
    const encoderDir = path.join(home, 'demo', `encoder-${demoRunId}`);
    const card = JSON.parse(readFileSync(path.join(encoderDir, 'model-card.json'), 'utf8'));
    expect(card).toMatchObject({ format: 'umedpt-encoder', inputSize: 64, runId: demoRunId });
    expect(existsSync(path.join(encoderDir, 'encoder', 'weights.bin'))).toBe(true);
    // importing 758 files and training on a loaded two-core machine takes minutes
  }, 900_000);

  it('runs lists the demo run; export writes the whole model', async () => {
    const list = capture();
    expect(await runCli(['runs'], list.io)).toBe(0);
    const text = list.out.join('\n');
    expect(text).toMatch(new RegExp(`${demoRunId} +demo: synthetic cells, three tasks +completed +2/2`));
    expect(text).toMatch(/cell-masks: meanDice/);

    const dir = path.join(home, 'whole-model');
    const exp = capture();
    expect(await runCli(['export', demoRunId.slice(0, 20), dir, '--model', '--checkpoint', 'latest'], exp.io)).toBe(0);
    expect(exp.out[0]).toContain('exported the multi-task model');
    expect(existsSync(path.join(dir, 'heads', 'cell-boxes', 'model.json'))).toBe(true);
  });

  it('pretrain reports every config problem with the file name', async () => {
    const file = path.join(home, 'bad.json');
    writeFileSync(file, JSON.stringify({ model: { inputSize: 100 }, tasks: [{ name: 'x', kind: 'classification', source: { kind: 'catalog', datasetId: 4242 } }] }));
    const c = capture();
    expect(await runCli(['pretrain', file], c.io)).toBe(2);
    expect(c.err[0]).toBe(`${file}: 2 problem(s):`);
    expect(c.err.slice(1)).toEqual([expect.stringMatching(/^ {2}epochs: set either epochs or steps/), expect.stringMatching(/^ {2}model\.inputSize: input size 100 is not divisible by 32/)]);
    const missing = capture();
    expect(await runCli(['pretrain', path.join(home, 'nope.json')], missing.io)).toBe(1);
    expect(missing.err[0]).toMatch(/nope\.json: no such file/);
  });

  it('Ctrl-C during pretrain pauses the run and resume finishes it', async () => {
    const file = path.join(home, 'tiny.json');
    const task = (name: string, kind: string, variant: string) => ({ name, kind, source: { kind: 'synthetic', variant, counts: { train: 8, val: 4, test: 4 } }, batchSize: 4 });
    writeFileSync(file, JSON.stringify({ name: 'ctrl-c', steps: 12, model: { inputSize: 32, squeezerWidth: 16 }, tasks: [task('a', 'classification', 'cell-type-classification')] }));
    const child = spawn(process.execPath, [path.join(root, 'bin', 'umedpt.js'), 'pretrain', file], { env: { ...process.env, UMEDPT_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress line: ${out}${err}`)), 90000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/epoch 1\/\d+ \[/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const runId = /run (run-\S+) "ctrl-c"/.exec(out)![1]!;
    expect(err).toContain(`pausing run ${runId}`);
    // one press, one pause: not taken for a second Ctrl-C
    expect(err).not.toContain('still pausing');
    expect(out).toMatch(/run paused/);
    expect(out).toContain(`resume with: umedpt resume ${runId}`);
    const pausedAt = Number(/final validation metrics \(paused, step (\d+)\/12\)/.exec(out)![1]);
    expect(pausedAt).toBeGreaterThan(0);
    expect(pausedAt).toBeLessThan(12);

    const resumed = capture();
    expect(await runCli(['resume', runId], resumed.io)).toBe(0);
    expect(resumed.out.join('\n')).toMatch(new RegExp(`continues from step ${pausedAt}\\)`));
    expect(resumed.out.join('\n')).toMatch(/final validation metrics \(completed, step 12\/12\)/);
  }, 300_000);
});
