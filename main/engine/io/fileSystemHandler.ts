/**
 * tf.io handlers that save and load a model as model.json + weights.bin in a
 * folder with plain node:fs, so saving works on every backend (tfjs-node's
 * file:// handler exists only where tfjs-node loads).
 *
 * Saving writes a sibling temporary folder, fsyncs both files, then swaps it
 * into place: a crash leaves either the previous complete model or the new
 * complete one (at worst under `<dir>.previous`, which loading falls back to),
 * never a half-written model.json or weights.bin.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

export const modelJsonName = 'model.json';
export const weightsFileName = 'weights.bin';

/** The folder a save moves the old model to while it swaps the new one in. */
export function previousModelDir(dir: string): string {
  return `${path.resolve(dir)}.previous`;
}

function writeDurably(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  // Makes the renames themselves durable; some filesystems refuse to open a folder for that.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

/** model.json content for artifacts whose weights go to one weights.bin. */
export function modelJsonFor(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('fileSystemSaveHandler: binary (graph-model protobuf) topologies are not supported, only JSON topologies');
  }
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [weightsFileName], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature) json.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer) json.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature) json.initializerSignature = artifacts.initializerSignature;
  return json;
}

export function fileSystemSaveHandler(dir: string): tf.io.IOHandler {
  const target = path.resolve(dir);
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const json = modelJsonFor(artifacts);
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
      const previous = previousModelDir(target);
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      try {
        writeDurably(path.join(tmp, weightsFileName), new Uint8Array(weights));
        writeDurably(path.join(tmp, modelJsonName), JSON.stringify(json));
        syncDir(tmp);
        // A stale .previous may go only while target holds a complete model.
        if (existsSync(target)) {
          rmSync(previous, { recursive: true, force: true });
          renameSync(target, previous);
        }
        renameSync(tmp, target);
        syncDir(path.dirname(target));
        rmSync(previous, { recursive: true, force: true });
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        throw new Error(`saving model to ${target} failed: ${(err as Error).message}`);
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

function bytesPerElement(dtype: string): number {
  if (dtype === 'bool' || dtype === 'uint8' || dtype === 'int8') return 1;
  if (dtype === 'float16' || dtype === 'int16' || dtype === 'uint16') return 2;
  return 4;
}

/** Expected bytes of one manifest entry, null where it cannot be known (strings). */
function entryBytes(entry: tf.io.WeightsManifestEntry): number | null {
  if (entry.dtype === 'string') return null;
  const size = entry.shape.reduce((a, b) => a * b, 1);
  return size * bytesPerElement(entry.quantization?.dtype ?? entry.dtype);
}

function parseModelJson(file: string): tf.io.ModelJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const json = parsed as Partial<tf.io.ModelJSON> | null;
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new Error(`${file}: no modelTopology (not a tfjs model.json)`);
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${file}: no weightsManifest (not a tfjs model.json)`);
  return json as tf.io.ModelJSON;
}

export function fileSystemLoadHandler(dir: string): tf.io.IOHandler {
  const requested = path.resolve(dir);
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      // A crash between the two renames of a save leaves the model only in .previous.
      const folder = !existsSync(path.join(requested, modelJsonName)) && existsSync(path.join(previousModelDir(requested), modelJsonName)) ? previousModelDir(requested) : requested;
      const jsonFile = path.join(folder, modelJsonName);
      if (!existsSync(jsonFile)) throw new Error(`${jsonFile}: no such file (not a saved model folder)`);
      const json = parseModelJson(jsonFile);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const parts = manifest.flatMap((group) =>
          group.paths.map((p) => {
            const file = path.join(folder, p);
            if (!existsSync(file)) throw new Error(`${file}: weights file listed in ${jsonFile} is missing`);
            return readFileSync(file);
          }),
        );
        const all = Buffer.concat(parts);
        const sizes = specs.map(entryBytes);
        if (sizes.every((s) => s !== null)) {
          const expected = (sizes as number[]).reduce((a, b) => a + b, 0);
          if (expected !== all.byteLength) {
            throw new Error(`${path.join(folder, manifest[0]?.paths[0] ?? weightsFileName)}: has ${all.byteLength} bytes of weights, ${jsonFile} describes ${expected}`);
          }
        }
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      });
    },
  };
}
