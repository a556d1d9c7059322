/**
 * Export of a run: the encoder alone (what downstream tasks start from) or the
 * whole multi-task model, in tfjs layers format, each with a model card
 * (model-card.json) saying what it was trained on and how well it did.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { exportEncoder } from '../engine/model/encoderExport';
import { saveLayersModel } from '../engine/model/layersModelFiles';
import type { ExportResult, ModelCard } from '../../shared/api/runs';
import { loadRunModel, type LoadedRunModel } from './runModel';
import { readMetricsLog } from './metricsLog';

export const modelCardName = 'model-card.json';

export interface ExportRunOptions {
  runRoot: string;
  runName: string;
  dir: string;
  checkpoint: 'latest' | 'best';
  what: 'encoder' | 'model';
  appName: string;
  appVersion: string;
  /** also pack the folder as one zip file here (the UI's download); done in the tool process, off the app's main loop */
  zipTo?: string;
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(root, full) : [path.relative(root, full).split(path.sep).join('/')];
  });
}

function sourceOf(loaded: LoadedRunModel, task: string): string {
  const config = loaded.config.tasks.find((t) => t.name === task);
  if (!config) return 'unknown';
  return config.source.kind === 'synthetic' ? `built-in synthetic dataset, variant ${config.source.variant}` : `catalog dataset ${config.source.datasetId}`;
}

export function buildModelCard(loaded: LoadedRunModel, options: ExportRunOptions, runId: string, files: string[]): ModelCard {
  const { config, progress } = loaded;
  // the validation that belongs to the exported checkpoint, not just the last one
  const validation = readMetricsLog(loaded.folder.metrics).events.find((e) => e.type === 'validation' && e.step === loaded.checkpointMeta.step);
  const metricsAt = validation?.type === 'validation' ? validation.metrics : progress.lastMetrics;
  return {
    format: options.what === 'encoder' ? 'umedpt-encoder' : 'umedpt-model',
    appName: options.appName,
    appVersion: options.appVersion,
    createdAt: new Date().toISOString(),
    runId,
    runName: options.runName,
    checkpoint: loaded.checkpoint,
    step: loaded.checkpointMeta.step,
    epoch: progress.checkpoints[loaded.checkpoint]?.epoch ?? 0,
    encoder: config.model.encoder,
    inputSize: config.model.inputSize,
    squeezerWidth: config.model.squeezerWidth,
    normalization: {
      kind: 'zscore',
      description: `images resized to ${config.model.inputSize}x${config.model.inputSize}, each normalised to zero mean and unit variance over its pixels; grey images replicated to 3 channels (HWC float32)`,
    },
    backend: progress.backend ?? loaded.engine.backend,
    tasks: progress.tasks.map((t) => ({
      name: t.name,
      kind: t.kind,
      classNames: t.classNames,
      source: sourceOf(loaded, t.name),
      trainImages: t.trainImages ?? 0,
      valImages: t.valImages ?? 0,
      validationMetrics: metricsAt?.[t.name] ?? null,
    })),
    files,
  };
}

/** The listed files of a folder as one zip; weights barely compress, so the fastest level. */
export function zipFolder(dir: string, files: string[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) entries[file] = readFileSync(path.join(dir, ...file.split('/')));
  return zipSync(entries, { level: 1 });
}

export async function exportRun(options: ExportRunOptions): Promise<ExportResult> {
  const runId = path.basename(options.runRoot);
  const loaded = await loadRunModel(options.runRoot, options.checkpoint);
  try {
    mkdirSync(options.dir, { recursive: true });
    if (options.what === 'encoder') {
      await exportEncoder(loaded.model, options.dir);
    } else {
      await exportEncoder(loaded.model, options.dir);
      if (loaded.model.pixelDecoder) await saveLayersModel(loaded.model.pixelDecoder, path.join(options.dir, 'pixelDecoder'));
      if (loaded.model.detectionDecoder) await saveLayersModel(loaded.model.detectionDecoder.model, path.join(options.dir, 'detectionDecoder'));
      for (const [name, head] of loaded.model.heads) await saveLayersModel(head.model, path.join(options.dir, 'heads', encodeURIComponent(name)));
    }
    const files = [...listFiles(options.dir).filter((f) => f !== modelCardName), modelCardName].sort();
    const card = buildModelCard(loaded, options, runId, files);
    writeFileSync(path.join(options.dir, modelCardName), JSON.stringify(card, null, 2));
    if (options.zipTo) writeFileSync(options.zipTo, zipFolder(options.dir, files));
    return { dir: path.resolve(options.dir), files, modelCard: card };
  } finally {
    loaded.model.dispose();
  }
}
