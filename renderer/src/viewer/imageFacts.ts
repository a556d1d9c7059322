import { metadataValue } from './windowLevel';

export interface ImageFact {
  label: string;
  value: string;
}

function show(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? String(Math.round(v * 10000) / 10000) : String(v))).join(' × ');
  if (typeof value === 'number') return String(Math.round(value * 10000) / 10000);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The metadata that matters when reading an image, in a fixed order; the rest follows. */
const importantKeys: Array<[string, string[]]> = [
  ['Modality', ['Modality']],
  ['Patient', ['PatientID', 'patient']],
  ['Study', ['StudyInstanceUID', 'StudyID', 'study']],
  ['Series', ['SeriesDescription', 'SeriesInstanceUID']],
  ['Pixel spacing', ['PixelSpacing', 'pixelSpacing', 'spacing']],
  ['Slice thickness', ['SliceThickness']],
  ['Window', ['WindowCenter']],
  ['Rescale', ['RescaleSlope']],
];

function normalKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function imageFacts(base: { width: number; height: number; bitDepth: number; channels?: number; group?: string | null; split?: string; sourcePath?: string; modality?: string | null }, metadata: Record<string, unknown>): ImageFact[] {
  const facts: ImageFact[] = [];
  if (base.sourcePath) facts.push({ label: 'File', value: base.sourcePath });
  facts.push({ label: 'Size', value: `${base.width} × ${base.height}${base.channels ? ` × ${base.channels}` : ''}, ${base.bitDepth}-bit` });
  if (base.modality) facts.push({ label: 'Modality', value: base.modality });
  if (base.split) facts.push({ label: 'Split', value: base.split });
  if (base.group) facts.push({ label: 'Group', value: base.group });
  // keys already shown (or shown as part of another fact) are not repeated below
  const used = new Set(['windowwidth', 'rescaleintercept', ...(base.modality ? ['modality'] : [])]);
  for (const [label, keys] of importantKeys) {
    const key = keys.find((k) => show(metadataValue(metadata, k)) !== null);
    if (!key || used.has(normalKey(key))) continue;
    used.add(normalKey(key));
    const value = show(metadataValue(metadata, key))!;
    if (label === 'Window') facts.push({ label, value: `C ${value} / W ${show(metadataValue(metadata, 'WindowWidth')) ?? '?'}` });
    else if (label === 'Rescale') facts.push({ label, value: `× ${value} + ${show(metadataValue(metadata, 'RescaleIntercept')) ?? '0'}` });
    else facts.push({ label, value });
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (used.has(normalKey(key))) continue;
    const text = show(value);
    if (text !== null && text.length < 200) facts.push({ label: key, value: text });
  }
  return facts;
}
