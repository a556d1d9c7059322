/**
 * End to end through the CLI, as a lab would: `umedpt bundle` a three-task
 * config, `umedpt launch` it (here with 2 ranks on the spawn launcher, and on
 * a single-node Slurm this test starts on localhost and stops), then the run
 * is in `umedpt runs` with its progress and validation metrics, and its
 * checkpoint exports with `umedpt export` and feeds `umedpt evaluate` like any run of the app.
 * Skips with the reason where torch or Slurm (or root, for munged) is absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { RunSummary } from '../../../shared/api/runs';
import { pythonOrReason, tinyConfig } from './clusterTestHelpers';
import { startLocalSlurm, type LocalSlurm } from './localSlurm';
import { writeFileSync } from 'node:fs';

const { python, reason } = pythonOrReason();
if (!python) console.log(`skipping the cluster launch tests: ${reason}`);

let root = '';
let configFile = '';
const saved = { home: process.env.UMEDPT_HOME, conf: process.env.SLURM_CONF };

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function runsJson(): Promise<RunSummary[]> {
  const { code, out } = await cli(['runs', '--json']);
  expect(code).toBe(0);
  return JSON.parse(out.join('\n')) as RunSummary[];
}

async function expectImported(runId: string, steps: number): Promise<void> {
  const run = (await runsJson()).find((r) => r.id === runId)!;
  expect(run).toMatchObject({ state: 'completed', backend: 'pytorch-cpu', progress: { step: steps, totalSteps: steps } });
  expect(Object.keys(run.finalMetrics ?? {}).sort()).toEqual(['cls', 'det', 'seg']);
  expect(run.finalMetrics!.seg!.meanDice).toBeGreaterThanOrEqual(0);
  const exported = path.join(root, `export-${runId}`);
  const exp = await cli(['export', runId, exported]);
  expect(exp.err).toEqual([]);
  expect(exp.code).toBe(0);
  const card = JSON.parse(readFileSync(path.join(exported, 'model-card.json'), 'utf8')) as { step: number; backend: string };
  expect(card).toMatchObject({ step: steps, backend: 'pytorch-cpu' });
  expect(existsSync(path.join(exported, 'encoder', 'weights.bin'))).toBe(true);
}

beforeAll(async () => {
  if (!python) return;
  root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-launch-'));
  process.env.UMEDPT_HOME = path.join(root, 'home');
  configFile = path.join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify(tinyConfig({ steps: undefined, epochs: 2 })));
  const made = await cli(['bundle', configFile, path.join(root, 'bundle')]);
  expect(made.err).toEqual([]);
  expect(made.code).toBe(0);
});
afterAll(() => {
  if (saved.home === undefined) delete process.env.UMEDPT_HOME;
  else process.env.UMEDPT_HOME = saved.home;
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!python)('umedpt bundle + launch', () => {
  it('launch --on local --nproc 2 trains with DDP on CPU; the run is listed with metrics and exports', async () => {
    const launched = await cli(['launch', path.join(root, 'bundle'), '--on', 'local', '--nproc', '2', '--threads', '1']);
    expect(launched.err).toEqual([]);
    expect(launched.code).toBe(0);
    expect(launched.out.some((l) => l.startsWith('validation at step 4'))).toBe(true);
    const runId = /run (run-\S+) completed/.exec(launched.out.join('\n'))?.[1];
    expect(runId).toBeTruthy();
    const log = readFileSync(path.join(process.env.UMEDPT_HOME!, 'runs', runId!, 'log.txt'), 'utf8');
    expect(log).toContain('2 rank(s) via spawn');
    await expectImported(runId!, 4);
    // a label-efficiency study takes the PyTorch run's encoder like an app run's
    const study = path.join(root, 'study.json');
    writeFileSync(study, JSON.stringify({ encoders: [{ kind: 'run', runId }], task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-type-classification', counts: { train: 16, test: 8 } } }, fractions: [100], seeds: 1, inputSize: 32, linearEpochs: 5 }));
    const evaluated = await cli(['evaluate', study]);
    expect(evaluated.err).toEqual([]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.out.some((l) => l.includes('results.csv'))).toBe(true);
  }, 300_000);

  describe('on a local single-node Slurm', () => {
    let slurm: LocalSlurm | null = null;
    let slurmReason = '';
    beforeAll(async () => {
      ({ slurm, reason: slurmReason } = await startLocalSlurm());
      if (slurm) process.env.SLURM_CONF = slurm.conf;
      else console.log(`skipping the Slurm launch test: ${slurmReason}`);
    }, 120_000);
    afterAll(() => {
      slurm?.stop();
      if (saved.conf === undefined) delete process.env.SLURM_CONF;
      else process.env.SLURM_CONF = saved.conf;
    });

    it('launch --on slurm --nproc 2: sbatch + srun ranks, the run is listed and its checkpoint exports', async (ctx) => {
      if (!slurm) return ctx.skip();
      const launched = await cli(['launch', path.join(root, 'bundle'), '--on', 'slurm', '--nproc', '2', '--threads', '1', '--skip-verify']);
      expect(launched.err).toEqual([]);
      expect(launched.code).toBe(0);
      const runId = /run (run-\S+) completed/.exec(launched.out.join('\n'))?.[1];
      expect(runId).toBeTruthy();
      const folder = path.join(process.env.UMEDPT_HOME!, 'runs', runId!);
      expect(readFileSync(path.join(folder, 'job.sbatch'), 'utf8')).toContain('srun');
      expect(readFileSync(path.join(folder, 'log.txt'), 'utf8')).toContain('2 rank(s) via slurm');
      await expectImported(runId!, 4);
    }, 300_000);
  });
});
