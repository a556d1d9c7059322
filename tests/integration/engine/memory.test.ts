import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { measureStepMemory } from '../../../main/engine/train/stepMemoryProfile';

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
});

/** real training steps on 2 shared cores: far above vitest's default */
const heavyTestTimeoutMs = 900_000;

describe('memory decoupling (peak tensor bytes of one step)', () => {
  it('is flat in the task count for the decoupled loop and grows for the naive one', async () => {
    const setup = { kind: 'segmentation' as const, inputSize: 32, batchSize: 2 };
    const d1 = await measureStepMemory({ ...setup, tasks: 1, loop: 'decoupled' });
    const d8 = await measureStepMemory({ ...setup, tasks: 8, loop: 'decoupled' });
    const n1 = await measureStepMemory({ ...setup, tasks: 1, loop: 'naive' });
    const n8 = await measureStepMemory({ ...setup, tasks: 8, loop: 'naive' });
    console.log(`peak MiB decoupled T=1 ${(d1.peakBytes / 2 ** 20).toFixed(2)} T=8 ${(d8.peakBytes / 2 ** 20).toFixed(2)}; naive T=1 ${(n1.peakBytes / 2 ** 20).toFixed(2)} T=8 ${(n8.peakBytes / 2 ** 20).toFixed(2)}`);
    expect(d1.peakBytes).toBeGreaterThan(0);
    expect(d8.peakBytes).toBeLessThanOrEqual(1.2 * d1.peakBytes);
    expect(n8.peakBytes).toBeGreaterThanOrEqual(3 * n1.peakBytes);
  }, heavyTestTimeoutMs);
});
