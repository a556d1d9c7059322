/**
 * The encoders a study compares, resolved to an architecture, a label, a
 * model card and a way to put their weights into a fresh downstream model:
 * an exported encoder folder (ours or loaded by the user), a pretraining
 * run's checkpoint (encoder + squeezer taken from it, its heads ignored),
 * or random initialisation (the baseline; its initial weights follow the seed).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadEncoderWeights, readEncoderManifest } from '../engine/model/encoderExport';
import { assignCheckpointWeights, checkpointKeys, checkpointParts } from '../engine/train/checkpointFiles';
import { createUmedptModel, type EncoderName, type UmedptModel } from '../engine/model/umedptModel';
import type { TaskKind } from '../engine/data/taskSample';
import { modelCardName } from '../runs/exportRun';
import { checkpointDir } from '../runs/runModel';
import { readJsonFile, readRunConfig, runFolder, type RunProgressFile } from '../runs/runFolder';
import type { EvalEncoder } from '../../shared/api/eval';
import { randomEncoderLabel } from './studySavings';

export interface ResolvedEncoder {
  label: string;
  source: EvalEncoder;
  architecture: EncoderName;
  squeezerWidth: number;
  /** true for random initialisation: the encoder's weights depend on the seed */
  seedDependent: boolean;
  /** what the encoder was trained on (model-card.json, or a summary of the run) */
  modelCard: Record<string, unknown> | null;
  /** copies the pretrained weights into `model` (nothing for random) */
  loadInto(model: UmedptModel): Promise<void>;
}

/** Encoder and squeezer weights of a trainer checkpoint (its other shared parts and heads are not taken). */
export function assignSharedFromCheckpoint(model: UmedptModel, dir: string): void {
  const taken = new Set([checkpointKeys.shared('encoder'), checkpointKeys.shared('squeezer')]);
  assignCheckpointWeights(
    dir,
    checkpointParts(model, []).filter((part) => taken.has(part.key)),
  );
}

function fromExported(source: Extract<EvalEncoder, { kind: 'exported' }>): ResolvedEncoder {
  const dir = path.resolve(source.dir);
  const manifest = readEncoderManifest(dir);
  const card = readJsonFile<Record<string, unknown>>(path.join(dir, modelCardName));
  const cardName = typeof card?.runName === 'string' ? card.runName : null;
  return {
    label: source.label ?? cardName ?? path.basename(dir),
    source,
    architecture: manifest.encoder as EncoderName,
    squeezerWidth: manifest.squeezerWidth,
    seedDependent: false,
    modelCard: card ?? { ...manifest, dir },
    async loadInto(model) {
      await loadEncoderWeights(model, dir);
    },
  };
}

function fromRun(source: Extract<EvalEncoder, { kind: 'run' }>, dataDir: string): ResolvedEncoder {
  const folder = runFolder(dataDir, source.runId);
  if (!existsSync(folder.root)) throw new Error(`run ${source.runId}: no folder at ${folder.root}`);
  const config = readRunConfig(folder);
  const { dir, which } = checkpointDir(folder, source.checkpoint);
  const progress = readJsonFile<RunProgressFile>(folder.progress);
  return {
    label: source.label ?? config.name,
    source,
    architecture: config.model.encoder,
    squeezerWidth: config.model.squeezerWidth,
    seedDependent: false,
    modelCard: {
      format: 'umedpt-run-checkpoint',
      runId: source.runId,
      runName: config.name,
      checkpoint: which,
      encoder: config.model.encoder,
      inputSize: config.model.inputSize,
      step: progress?.step ?? null,
      tasks: (progress?.tasks ?? []).map((t) => ({ name: t.name, kind: t.kind, classNames: t.classNames, trainImages: t.trainImages })),
    },
    async loadInto(model) {
      assignSharedFromCheckpoint(model, dir);
    },
  };
}

export function resolveEncoder(source: EvalEncoder, dataDir: string): ResolvedEncoder {
  if (source.kind === 'exported') return fromExported(source);
  if (source.kind === 'run') return fromRun(source, dataDir);
  return {
    label: randomEncoderLabel(source),
    source,
    architecture: source.encoder,
    squeezerWidth: source.squeezerWidth,
    seedDependent: true,
    modelCard: { format: 'random-initialisation', encoder: source.encoder, squeezerWidth: source.squeezerWidth },
    async loadInto() {},
  };
}

export interface DownstreamTask {
  name: string;
  kind: TaskKind;
  numClasses: number;
}

/** A one-task model for the downstream task, its shared weights from the encoder. */
export async function buildDownstreamModel(encoder: ResolvedEncoder, task: DownstreamTask, inputSize: number, seed: number): Promise<UmedptModel> {
  const model = createUmedptModel({
    encoder: encoder.architecture,
    inputSize,
    squeezerWidth: encoder.squeezerWidth,
    tasks: [{ name: task.name, kind: task.kind, numClasses: task.numClasses }],
    seed,
  });
  try {
    await encoder.loadInto(model);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
