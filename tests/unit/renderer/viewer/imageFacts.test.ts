import { describe, expect, it } from 'vitest';
import { imageFacts } from '../../../../renderer/src/viewer/imageFacts';

describe('imageFacts', () => {
  it('lists the DICOM tags that matter first, once each, then the rest', () => {
    const facts = imageFacts(
      { width: 512, height: 512, bitDepth: 16, modality: 'CT', group: 'P-7', split: 'train' },
      { Modality: 'CT', PatientID: 'P-7', PixelSpacing: [0.7, 0.7], WindowCenter: 40, WindowWidth: 400, Manufacturer: 'ACME' },
    );
    expect(facts.map((f) => f.label)).toEqual(['Size', 'Modality', 'Split', 'Group', 'Patient', 'Pixel spacing', 'Window', 'Manufacturer']);
    expect(facts.find((f) => f.label === 'Pixel spacing')!.value).toBe('0.7 × 0.7');
    expect(facts.find((f) => f.label === 'Window')!.value).toBe('C 40 / W 400');
  });
});
