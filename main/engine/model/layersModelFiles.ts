/**
 * Saving / loading a tfjs layers model as the standard layers-format pair
 * model.json + weights.bin in a folder (what tf.loadLayersModel reads), over
 * node:fs so it works on every backend (tfjs-node's file:// handler exists
 * only where tfjs-node loads). The folder is written by the atomic writer
 * (temporary folder, fsync, swap): a crash leaves the complete old or new model.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readableFolder, writeFolderAtomic } from '../../files/atomicFile';
// registers the custom layers for deserialisation
import './layers/groupNorm';
import './layers/gelu';
import './layers/upsample2x';

export async function saveLayersModel(model: tfl.LayersModel, dir: string): Promise<void> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = captured as tf.io.ModelArtifacts | null;
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error(`saving ${model.name}: tfjs returned no weights`);
  const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  writeFolderAtomic(dir, (tmp) => {
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(path.join(tmp, 'weights.bin'), Buffer.from(data));
  });
}

export async function loadLayersModel(requested: string): Promise<tfl.LayersModel> {
  const dir = readableFolder(requested, 'model.json');
  const jsonPath = path.join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw new Error(`${jsonPath}: no model.json (not a layers-format model folder)`);
  let parsed: { modelTopology?: object; weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  try {
    parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`${jsonPath}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed.modelTopology || !parsed.weightsManifest) throw new Error(`${jsonPath}: missing modelTopology or weightsManifest`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of parsed.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: specs, weightData }));
}

/** copies weights between two models of the same architecture, with a clear error otherwise */
export function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel, what: string): void {
  const source = from.getWeights();
  const target = to.weights;
  if (source.length !== target.length) throw new Error(`${what}: ${source.length} weight tensors, the model expects ${target.length} (different architecture?)`);
  source.forEach((w, i) => {
    const shape = target[i]!.shape;
    if (w.shape.join('x') !== shape.join('x')) throw new Error(`${what}: weight ${target[i]!.originalName} has shape ${w.shape.join('x')}, expected ${shape.join('x')}`);
  });
  to.setWeights(source);
}
