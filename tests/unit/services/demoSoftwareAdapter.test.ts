/** The demo's settings on a software WebGPU adapter: smaller work, said in the run's name, the shipped config still valid. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoConfigFile, demoForSoftwareAdapter, softwareAdapterDemo } from '../../../main/services/demoSamples';
import { runConfigSchema, type RunConfigInput } from '../../../shared/runConfig';

const shipped = (): RunConfigInput => JSON.parse(readFileSync(demoConfigFile, 'utf8')) as RunConfigInput;

describe('the demo on a software WebGPU adapter', () => {
  it('trains smaller images in smaller batches, validates on fewer images, and says so in the run name', () => {
    const original = shipped();
    const { config, note } = demoForSoftwareAdapter(original, 'SwiftShader Device');
    const parsed = runConfigSchema.parse(config);
    expect(parsed.model.inputSize).toBe(softwareAdapterDemo.inputSize);
    expect(parsed.model.inputSize).toBeLessThan(runConfigSchema.parse(original).model.inputSize);
    expect(parsed.tasks.map((t) => t.batchSize)).toEqual(original.tasks.map(() => softwareAdapterDemo.batchSize));
    for (const t of parsed.tasks) {
      if (t.source.kind === 'synthetic') expect(t.source.counts.val).toBe(softwareAdapterDemo.validationImages);
    }
    // train and test splits, the encoder, the seed and everything else stay the demo's
    expect(parsed.tasks.map((t) => (t.source.kind === 'synthetic' ? t.source.counts.train : null))).toEqual(runConfigSchema.parse(original).tasks.map((t) => (t.source.kind === 'synthetic' ? t.source.counts.train : null)));
    expect(parsed.model.encoder).toBe(runConfigSchema.parse(original).model.encoder);
    expect(parsed.seed).toBe(original.seed);
    expect(parsed.name).toContain('software WebGPU');
    expect(parsed.name).toContain(`${softwareAdapterDemo.inputSize} px`);
    expect(note).toContain('SwiftShader Device');
    expect(note).toContain(`${softwareAdapterDemo.inputSize} px`);
  });

  it('leaves the config it was given unchanged and keeps catalog tasks as they are, but for the batch size', () => {
    const original = shipped();
    original.tasks.push({ name: 'real', kind: 'detection', source: { kind: 'catalog', datasetId: 4 }, batchSize: 4 });
    const before = JSON.stringify(original);
    const { config } = demoForSoftwareAdapter(original, 'llvmpipe');
    expect(JSON.stringify(original)).toBe(before);
    expect(config.tasks.at(-1)).toEqual({ name: 'real', kind: 'detection', source: { kind: 'catalog', datasetId: 4 }, batchSize: softwareAdapterDemo.batchSize });
  });
});
