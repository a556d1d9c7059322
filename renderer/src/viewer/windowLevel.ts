/** A display window over stored values: values in [center - width/2, center + width/2] span black to white. */
export interface DisplayWindow {
  center: number;
  width: number;
}

export interface WindowPreset {
  id: string;
  label: string;
  /** null: the server picks from the image itself (auto) */
  window: DisplayWindow | null;
}

/** CT presets in Hounsfield units (radiology conventions). */
export const ctWindowPresets: readonly WindowPreset[] = [
  { id: 'soft-tissue', label: 'CT soft tissue', window: { center: 40, width: 400 } },
  { id: 'lung', label: 'CT lung', window: { center: -600, width: 1500 } },
  { id: 'bone', label: 'CT bone', window: { center: 400, width: 1800 } },
  { id: 'brain', label: 'CT brain', window: { center: 40, width: 80 } },
];

export const autoPreset: WindowPreset = { id: 'auto', label: 'Auto', window: null };

function firstNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return firstNumber(value[0]);
  if (typeof value === 'string') {
    const n = Number.parseFloat(value.split('\\')[0] ?? '');
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Reads a metadata key in any of the spellings importers use (WindowCenter, windowCenter, window_center). */
export function metadataValue(metadata: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [key, value] of Object.entries(metadata)) if (key.toLowerCase().replace(/[^a-z0-9]/g, '') === wanted) return value;
  return undefined;
}

/** The window the file itself recommends (DICOM WindowCenter / WindowWidth), if any. */
export function fileWindow(metadata: Record<string, unknown>): DisplayWindow | null {
  const center = firstNumber(metadataValue(metadata, 'WindowCenter'));
  const width = firstNumber(metadataValue(metadata, 'WindowWidth'));
  return center !== null && width !== null && width > 0 ? { center, width } : null;
}

/** Presets that make sense for an image: CT windows only for CT, the file's own window when it has one. */
export function presetsFor(modality: string | null, metadata: Record<string, unknown>): WindowPreset[] {
  const presets: WindowPreset[] = [autoPreset];
  const own = fileWindow(metadata);
  if (own) presets.push({ id: 'file', label: 'From file', window: own });
  if ((modality ?? '').toUpperCase() === 'CT') presets.push(...ctWindowPresets);
  return presets;
}

/** Whether window/level controls apply: more than 8 bits, or a DICOM modality. */
export function isWindowable(bitDepth: number, modality: string | null): boolean {
  return bitDepth > 8 || (modality !== null && modality !== '');
}

/**
 * Right-drag window/level, the radiology convention: horizontal motion
 * changes the width, vertical motion the level, both in proportion to the
 * current width so small and large windows feel the same.
 */
export function dragWindow(start: DisplayWindow, dx: number, dy: number, sensitivity = 0.004): DisplayWindow {
  const step = Math.max(start.width, 1) * sensitivity;
  return { center: start.center + dy * step, width: Math.max(1, start.width + dx * step) };
}

/** Query parameters of the preview route for a window (none for auto). */
export function windowParams(window: DisplayWindow | null): string {
  if (!window) return '';
  return `&windowCenter=${encodeURIComponent(String(Math.round(window.center * 100) / 100))}&windowWidth=${encodeURIComponent(String(Math.round(window.width * 100) / 100))}`;
}
