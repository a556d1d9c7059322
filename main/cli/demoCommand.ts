/**
 * umedpt demo: what a new user runs right after npm install. Writes the
 * built-in synthetic dataset as files and imports it with the small real
 * samples shipped in resources/samples (BCCD detection, ISBI-2012 EM
 * segmentation, RetinaMNIST classification), pretrains the three synthetic
 * tasks (plus the real ones with --with-real), prints progress and final
 * metrics, and exports the encoder.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiEventMessage, ImportFinishedEvent } from '../../shared/api';
import type { RunConfigInput } from '../../shared/runConfig';
import { writeSyntheticDatasetToFolder } from '../engine/data/syntheticFolder';
import type { Command } from 'commander';
import type { CliSession } from './cliContext';
import { cliAction, positiveInteger, type CliEnv, type CliIo } from './commands';
import { followRun } from './followRun';
import { formatDuration, metricLine } from './runProgress';
import { demoConfigFile, demoForSoftwareAdapter, realSamples, samplesDir } from '../services/demoSamples';

export { demoConfigFile, realSamples, samplesDir } from '../services/demoSamples';

interface DatasetToImport {
  path: string;
  name: string;
}

/** Imports a folder unless a finished dataset from the same place is in the catalog already. */
async function importOnce(session: CliSession, item: DatasetToImport, io: CliIo): Promise<number> {
  const existing = (await session.call('catalog/listDatasets', { includeDeleted: false })).find((d) => d.sourcePath === path.resolve(item.path) && d.state === 'ready');
  if (existing) {
    io.out(`  ${item.name}: already in the catalog (dataset ${existing.id}, ${existing.imageCount} images)`);
    return existing.id;
  }
  const finished = new Promise<ImportFinishedEvent>((resolve) => {
    const unsubscribe = session.subscribe((message: ApiEventMessage) => {
      if (message.event !== 'import/finished') return;
      const payload = message.payload as ImportFinishedEvent;
      if (payload.jobId !== jobId) return;
      unsubscribe();
      resolve(payload);
    });
  });
  const { jobId } = await session.call('import/start', { path: item.path, name: item.name });
  const result = await finished;
  if (result.state !== 'completed' || result.datasetId === null) throw new Error(`import of ${item.path} ${result.state}: ${result.error ?? 'no dataset'}`);
  const dataset = await session.call('catalog/getDataset', { datasetId: result.datasetId });
  const s = dataset.splitCounts;
  io.out(`  ${item.name}: ${dataset.imageCount} images (${s.train}/${s.val}/${s.test}), ${dataset.kind}, ${dataset.classes.length} classes: ${dataset.classes.map((c) => c.name).join(', ')}`);
  return result.datasetId;
}

/** The adapter's name when the run will train on webgpu on a software adapter (webgpu forced, no GPU), else null. */
async function forcedSoftwareAdapter(session: CliSession): Promise<string | null> {
  const info = await session.call('system/info', {});
  const adapter = info.backends.find((b) => b.name === 'webgpu')?.adapter;
  return info.selectedBackend === 'webgpu' && adapter?.software ? adapter.description || adapter.device : null;
}

interface DemoOptions {
  steps?: number;
  epochs?: number;
  withReal?: boolean;
  /** false with --no-import */
  import: boolean;
}

export function defineDemoCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('demo')
    .summary('import the built-in synthetic dataset and real samples, pretrain a few minutes, print metrics, export the encoder')
    .usage('[--steps N | --epochs N] [--with-real] [--no-import]')
    .option('--steps <N>', 'train N steps (wins over --epochs)', positiveInteger)
    .option('--epochs <N>', 'train N epochs', positiveInteger)
    .option('--with-real', 'add the three real sample datasets as three more tasks')
    .option('--no-import', 'skip writing and importing the datasets (they are in the catalog already)');
  return cliAction(command, env, (options: DemoOptions) => runDemo(options, env));
}

async function runDemo(options: DemoOptions, env: CliEnv): Promise<number> {
  const { io } = env;
  const { steps, epochs } = options;
  const started = Date.now();
  const session = env.open();
  try {
    const dataDir = session.ctx.dataDir;
    io.out(`UMedPT Studio demo, workspace ${dataDir}`);
    io.out('(set UMEDPT_HOME=<folder> to keep the demo apart from your own data)');
    const datasetIds = new Map<string, number>();

    if (options.import) {
      io.out('');
      io.out('1/4 writing the built-in synthetic dataset (microscopy-like cells, one task per label type)');
      const syntheticRoot = path.join(dataDir, 'demo', 'synthetic-cells');
      const written = await writeSyntheticDatasetToFolder(syntheticRoot, { size: 64, seed: 0, counts: { train: 96, val: 24, test: 24 } });
      io.out(`  ${written.tasks.length} task folders in ${syntheticRoot}`);
      io.out('2/4 importing it and the real samples into the catalog');
      for (const task of written.tasks) await importOnce(session, { path: task.dir, name: task.name }, io);
      for (const sample of realSamples) {
        const samplePath = path.join(samplesDir, sample.path);
        if (!existsSync(samplePath)) {
          io.err(`  ${sample.name}: ${samplePath} is missing; skipped`);
          continue;
        }
        datasetIds.set(sample.task, await importOnce(session, { path: samplePath, name: sample.name }, io));
      }
    }

    io.out('');
    io.out('3/4 pretraining (Ctrl-C pauses; umedpt resume continues)');
    let config = JSON.parse(readFileSync(demoConfigFile, 'utf8')) as RunConfigInput & Record<string, unknown>;
    if (steps !== undefined) {
      config.steps = steps;
      delete config.epochs;
    } else if (epochs !== undefined) config.epochs = epochs;
    if (options.withReal) {
      for (const sample of realSamples) {
        const datasetId = datasetIds.get(sample.task);
        if (datasetId === undefined) continue;
        config.tasks.push({ name: sample.task, kind: sample.kind, source: { kind: 'catalog', datasetId }, batchSize: sample.batchSize });
      }
      config.name = `${String(config.name)} + real samples`;
    }
    const softwareAdapter = await forcedSoftwareAdapter(session);
    if (softwareAdapter) {
      const shrunk = demoForSoftwareAdapter(config, softwareAdapter);
      config = shrunk.config;
      io.out(`  ${shrunk.note}`);
    }
    const { problems } = await session.call('runs/validate', { config });
    if (problems.length) throw new Error(`${demoConfigFile}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const run = await session.call('runs/launch', { config });
    const { config: parsed } = await session.call('runs/get', { runId: run.id });
    io.out(`  run ${run.id}: ${parsed.tasks.length} tasks, ${parsed.model.encoder} encoder at ${parsed.model.inputSize} px, ${parsed.steps !== undefined ? `${parsed.steps} steps` : `${parsed.epochs} epochs`}`);
    const { code, summary } = await followRun(session, run.id, io);
    if (summary.state !== 'completed') return code;

    io.out('');
    io.out('4/4 exporting the pretrained encoder');
    const dir = path.join(dataDir, 'demo', `encoder-${run.id}`);
    const exported = await session.call('runs/exportEncoder', { runId: run.id, dir, checkpoint: 'best' });
    io.out(`  ${exported.dir} (${exported.modelCard.checkpoint} checkpoint, step ${exported.modelCard.step}): ${exported.files.join(', ')}`);
    for (const t of exported.modelCard.tasks) io.out(`  ${t.name}: ${t.validationMetrics ? metricLine(t.validationMetrics) : 'no validation metrics'}`);
    io.out('');
    io.out(`demo finished in ${formatDuration((Date.now() - started) / 1000)}. Next:`);
    io.out('  umedpt runs                      the run with its metrics');
    io.out('  umedpt serve                     the app in a browser (datasets, curves, predictions)');
    io.out(`  "model": { "initEncoderFrom": "${dir}" } in a run config starts a new run from this encoder`);
    return 0;
  } finally {
    await session.close();
  }
}
