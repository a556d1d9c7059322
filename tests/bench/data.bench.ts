/**
 * npm run bench -- data: throughput of the engine's data pipeline, in images/s.
 *  - synthetic generation (per task kind, 64 px)
 *  - augmentation (default settings: flips, 90° turns, scale/crop, intensity) at 64 and 224 px
 *  - preprocessing cache: build from 16-bit 512x512 grey sources to 224 px (resize + z-score + grey->RGB + file write),
 *    then load of the same cache file
 *  - batch loader: augmented 32-image batches at 64 px
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchSectionResult } from './index';
import { DEFAULT_SYNTHETIC_TASKS, generateSyntheticItem, generateSyntheticTask, syntheticSampleSeed } from '../../main/engine/data/synthetic';
import { DEFAULT_AUGMENTATION, augmentSample } from '../../main/engine/data/augment';
import { SeededRandom } from '../../shared/seededRandom';
import { type PreprocessSource, loadOrBuildPreprocessed, preprocessSample } from '../../main/engine/data/preprocessCache';
import { BatchLoader } from '../../main/engine/data/batchLoader';
import { type TaskSample } from '../../main/engine/data/taskSample';

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000 * 10) / 10;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

function source16(count: number, side: number): PreprocessSource {
  return {
    ids: Array.from({ length: count }, (_, i) => `bench-${side}-${i}`),
    load: (i) => {
      // a 16-bit scene: the synthetic generator at 512 px, stretched to the 16-bit range
      const item = generateSyntheticItem(DEFAULT_SYNTHETIC_TASKS[1]!, side, syntheticSampleSeed(1, 'bench', 'train', i));
      const data = new Uint16Array(side * side);
      for (let p = 0; p < data.length; p++) data[p] = Math.round(item.scene.grey[p]! * 65535);
      return { width: side, height: side, channels: 1, data, mask: item.mask! };
    },
  };
}

export async function run(): Promise<BenchSectionResult> {
  const table: BenchSectionResult['table'] = [];
  const json: Record<string, unknown> = {};

  // synthetic generation
  const genCount = 300;
  for (const spec of DEFAULT_SYNTHETIC_TASKS) {
    const { ms } = timed(() => generateSyntheticTask(spec, { counts: { train: genCount, val: 0, test: 0 } }));
    const r = rate(genCount, ms);
    json[`synthetic_${spec.kind}_images_per_s`] = r;
    table.push({ stage: `synthetic ${spec.kind} (64 px)`, images: genCount, ms: Math.round(ms), 'images/s': r });
  }

  // augmentation at two sizes
  for (const size of [64, 224]) {
    const count = size === 64 ? 1000 : 200;
    const base = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[1]!, { size, counts: { train: 20, val: 0, test: 0 } }).train;
    const rng = new SeededRandom(1);
    const { ms } = timed(() => {
      for (let i = 0; i < count; i++) augmentSample(base[i % base.length] as TaskSample, DEFAULT_AUGMENTATION, rng);
    });
    const r = rate(count, ms);
    json[`augment_${size}px_images_per_s`] = r;
    table.push({ stage: `augment image+mask (${size} px)`, images: count, ms: Math.round(ms), 'images/s': r });
  }

  // preprocessing cache: source generation is excluded by pre-decoding the sources
  const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-bench-cache-'));
  try {
    const cacheCount = 60;
    const src = source16(cacheCount, 512);
    const decoded = await Promise.all(src.ids.map((_, i) => src.load(i)));
    const preloaded: PreprocessSource = { ids: src.ids, load: (i) => decoded[i]! };
    const settings = { size: 224, normalization: { kind: 'zscore' as const } };
    const pure = timed(() => decoded.slice(0, 20).map((s) => preprocessSample(s, settings)));
    const build = await timedAsync(() => loadOrBuildPreprocessed(preloaded, settings, dir));
    const load = await timedAsync(() => loadOrBuildPreprocessed(preloaded, settings, dir));
    if (build.value.cacheHit || !load.value.cacheHit) throw new Error('bench: cache did not build then hit');
    json.preprocess_512to224_images_per_s = rate(20, pure.ms);
    json.cache_build_512to224_images_per_s = rate(cacheCount, build.ms);
    json.cache_load_224_images_per_s = rate(cacheCount, load.ms);
    table.push({ stage: 'preprocess 16-bit 512->224 (no I/O)', images: 20, ms: Math.round(pure.ms), 'images/s': rate(20, pure.ms) });
    table.push({ stage: 'cache build 512->224 (+ write)', images: cacheCount, ms: Math.round(build.ms), 'images/s': rate(cacheCount, build.ms) });
    table.push({ stage: 'cache load 224 px', images: cacheCount, ms: Math.round(load.ms), 'images/s': rate(cacheCount, load.ms) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // batch loader
  const task = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[1]!, { counts: { train: 256, val: 0, test: 0 } });
  const loader = new BatchLoader(task, task.train, { batchSize: 32, augmentation: DEFAULT_AUGMENTATION, seed: 1 });
  const batches = 24;
  const loaded = await timedAsync(async () => {
    for (let i = 0; i < batches; i++) await loader.next();
  });
  json.batch_loader_64px_images_per_s = rate(batches * 32, loaded.ms);
  table.push({ stage: 'batch loader, augmented (64 px, batch 32)', images: batches * 32, ms: Math.round(loaded.ms), 'images/s': rate(batches * 32, loaded.ms) });
  return { json, table };
}
