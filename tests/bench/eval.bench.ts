/**
 * npm run bench -- eval: what computing the frozen encoder's embeddings once
 * saves in the frozen-encoder (linear probe) mode.
 *  - cached: one encoder pass over the images, then E full-batch probe epochs on the vectors
 *  - recomputed: the encoder runs again in every one of the E epochs (what a head trained
 *    on the encoder's output each epoch costs), then the same E probe epochs
 * Both give the same probe (the encoder is frozen and there is no augmentation); the
 * time difference is the E - 1 extra encoder passes. Measured at E = 10 (the
 * recomputed loop gets slow), and extrapolated to the default 200 epochs from the
 * measured per-pass time.
 */
import type { BenchSectionResult } from './index';
import { initEngine } from '../../main/engine/backend/initEngine';
import { generateSyntheticTask, VARIANT_SYNTHETIC_TASKS } from '../../main/engine/data/synthetic';
import { createUmedptModel } from '../../main/engine/model/umedptModel';
import { computeEmbeddings, type EmbeddingMatrix } from '../../main/studies/embeddings';
import { trainLinearProbe } from '../../main/studies/linearProbe';
import { evalConfigSchema } from '../../shared/api/eval';

export async function run(): Promise<BenchSectionResult> {
  const engine = await initEngine({ forced: 'wasm' });
  const size = 64;
  const images = 256;
  const epochs = 10;
  const defaultEpochs = evalConfigSchema.shape.linearEpochs.parse(undefined);
  const task = generateSyntheticTask(VARIANT_SYNTHETIC_TASKS[0]!, { size, counts: { train: images, val: 0, test: 0 }, seed: 3 });
  const labels = task.train.map((s) => s.label as number);
  const model = createUmedptModel({ encoder: 'small-cnn', inputSize: size, squeezerWidth: 128, tasks: [{ name: 'count', kind: 'classification', numClasses: 4 }], seed: 0 });
  const pixels = task.train.map((s) => s.image);
  computeEmbeddings(model, pixels.slice(0, 8)); // warm-up: kernels compiled, weights uploaded

  let t0 = performance.now();
  const cached = computeEmbeddings(model, pixels);
  const embedMs = performance.now() - t0;
  t0 = performance.now();
  const probeA = trainLinearProbe(cached, labels, 4, { epochs, learningRate: 1e-2 });
  const probeMs = performance.now() - t0;
  const cachedMs = embedMs + probeMs;

  t0 = performance.now();
  let last: EmbeddingMatrix = cached;
  for (let e = 0; e < epochs; e++) last = computeEmbeddings(model, pixels);
  const probeB = trainLinearProbe(last, labels, 4, { epochs, learningRate: 1e-2 });
  const recomputedMs = performance.now() - t0;
  model.dispose();
  const same = probeA.predict(cached).every((v, i) => Math.abs(v - probeB.predict(cached)[i]!) < 1e-6);

  const perEpochProbeMs = probeMs / epochs;
  const extrapolatedCached = embedMs + perEpochProbeMs * defaultEpochs;
  const extrapolatedRecomputed = (embedMs + perEpochProbeMs) * defaultEpochs;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    json: {
      backend: engine.backend,
      images,
      inputSize: size,
      encoder: 'small-cnn',
      squeezerWidth: 128,
      epochs,
      encoderPassMs: round(embedMs),
      probeMsPerEpoch: round(perEpochProbeMs),
      cachedMs: round(cachedMs),
      recomputedMs: round(recomputedMs),
      speedup: round(recomputedMs / cachedMs),
      sameProbe: same,
      defaultEpochs,
      extrapolatedSpeedupAtDefaultEpochs: round(extrapolatedRecomputed / extrapolatedCached),
    },
    table: [
      { variant: `cached embeddings (${epochs} epochs)`, ms: round(cachedMs), encoderPasses: 1 },
      { variant: `encoder recomputed each epoch (${epochs} epochs)`, ms: round(recomputedMs), encoderPasses: epochs },
      { variant: `speed-up at ${epochs} epochs (measured)`, ms: round(recomputedMs / cachedMs), encoderPasses: 0 },
      { variant: `speed-up at ${defaultEpochs} epochs (from measured pass/epoch times)`, ms: round(extrapolatedRecomputed / extrapolatedCached), encoderPasses: 0 },
    ],
  };
}
