/**
 * "Try the demo" on an empty catalog: the real samples imported (each once),
 * then a short run on their three tasks, returned so the app lands on it live.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ApiEventMessage, ImportFinishedEvent } from '../../shared/api';
import type { RunConfigInput } from '../../shared/runConfig';
import { runsRuntime } from './runsRuntime';
import { validateRunConfig } from '../runs/validateRunConfig';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { createImportHandlers } from './importService';
import { createCatalogHandlers } from './catalogService';
import { realSamples, samplesDir } from './demoSamples';

export function createDemoHandlers(ctx: ServiceContext): Handlers<'demo/start'> {
  const imports = createImportHandlers(ctx);
  const catalog = createCatalogHandlers(ctx);

  const importOnce = async (folder: string, name: string): Promise<number> => {
    const existing = (await catalog['catalog/listDatasets']({ includeDeleted: false })).find((d) => d.sourcePath === path.resolve(folder) && d.state === 'ready');
    if (existing) return existing.id;
    let jobId = '';
    const finished = new Promise<ImportFinishedEvent>((resolve) => {
      const unsubscribe = ctx.events.subscribe((m: ApiEventMessage) => {
        if (m.event !== 'import/finished' || (m.payload as ImportFinishedEvent).jobId !== jobId) return;
        unsubscribe();
        resolve(m.payload as ImportFinishedEvent);
      });
    });
    jobId = (await imports['import/start']({ path: folder, name })).jobId;
    const result = await finished;
    if (result.state !== 'completed' || result.datasetId === null) throw new Error(`demo: import of ${folder} ${result.state}: ${result.error ?? 'no dataset'}`);
    return result.datasetId;
  };

  return {
    'demo/start': async ({ steps }) => {
      const tasks: RunConfigInput['tasks'] = [];
      const datasetIds: number[] = [];
      for (const sample of realSamples) {
        const folder = path.join(samplesDir, sample.path);
        if (!existsSync(folder)) throw new Error(`demo: the sample ${folder} is missing from this installation`);
        const datasetId = await importOnce(folder, sample.name);
        datasetIds.push(datasetId);
        tasks.push({ name: sample.task, kind: sample.kind, source: { kind: 'catalog', datasetId }, batchSize: sample.batchSize });
      }
      const config: RunConfigInput = {
        name: 'demo: real samples',
        tasks,
        model: { encoder: 'small-cnn', inputSize: 64, squeezerWidth: 128 },
        optimizer: { kind: 'adamw', learningRate: 2e-3, weightDecay: 1e-2 },
        schedule: { kind: 'cosine', warmupSteps: Math.min(8, steps - 1) },
        steps,
        augmentation: { horizontalFlip: true, verticalFlip: true },
        seed: 42,
      };
      const { catalog: runCatalog, manager } = runsRuntime(ctx);
      const { config: parsed, problems } = validateRunConfig(runCatalog, config);
      if (!parsed || problems.length) throw new Error(`demo: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      return { datasetIds, run: manager.launch(parsed) };
    },
  };
}
