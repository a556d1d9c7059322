/**
 * Exporting the pretrained encoder (and squeezer) in tfjs layers format, and
 * starting a new model from such an export.
 * Folder layout: umedpt-encoder.json (what it is), encoder/ and squeezer/
 * (each model.json + weights.bin).
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { copyWeights, loadLayersModel, saveLayersModel } from './layersModelFiles';
import type { UmedptModel } from './umedptModel';

export const encoderManifestName = 'umedpt-encoder.json';

export interface EncoderManifest {
  format: 'umedpt-encoder';
  version: 1;
  encoder: string;
  inputSize: number;
  squeezerWidth: number;
  pyramidChannels: number[];
  savedAt: string;
}

export async function exportEncoder(model: UmedptModel, dir: string): Promise<EncoderManifest> {
  mkdirSync(dir, { recursive: true });
  await saveLayersModel(model.encoder.model, path.join(dir, 'encoder'));
  await saveLayersModel(model.squeezer, path.join(dir, 'squeezer'));
  const manifest: EncoderManifest = {
    format: 'umedpt-encoder',
    version: 1,
    encoder: model.config.encoder,
    inputSize: model.config.inputSize,
    squeezerWidth: model.config.squeezerWidth,
    pyramidChannels: model.encoder.channels,
    savedAt: new Date().toISOString(),
  };
  writeFileSync(path.join(dir, encoderManifestName), JSON.stringify(manifest, null, 2));
  return manifest;
}

export function readEncoderManifest(dir: string): EncoderManifest {
  const file = path.join(dir, encoderManifestName);
  if (!existsSync(file)) throw new Error(`${file}: not found (is ${dir} an exported UMedPT encoder?)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as EncoderManifest;
  if (manifest.format !== 'umedpt-encoder') throw new Error(`${file}: format is '${String(manifest.format)}', expected 'umedpt-encoder'`);
  return manifest;
}

/**
 * Loads an exported encoder (and its squeezer, when the widths match) into
 * `model`. The input size may differ: the encoder is fully convolutional.
 */
export async function loadEncoderWeights(model: UmedptModel, dir: string): Promise<{ squeezerLoaded: boolean }> {
  const manifest = readEncoderManifest(dir);
  if (manifest.encoder !== model.config.encoder) throw new Error(`${dir}: the export holds a '${manifest.encoder}' encoder, the model uses '${model.config.encoder}'`);
  const encoder = await loadLayersModel(path.join(dir, 'encoder'));
  try {
    copyWeights(encoder, model.encoder.model, `${dir}/encoder`);
  } finally {
    encoder.dispose();
  }
  if (manifest.squeezerWidth !== model.config.squeezerWidth) return { squeezerLoaded: false };
  const squeezer = await loadLayersModel(path.join(dir, 'squeezer'));
  try {
    copyWeights(squeezer, model.squeezer, `${dir}/squeezer`);
  } finally {
    squeezer.dispose();
  }
  return { squeezerLoaded: true };
}
