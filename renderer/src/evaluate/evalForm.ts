import type { EvalConfigInput, EvalCurve, EvalMode } from '../../../shared/api/eval';
import { syntheticVariants, type RunTaskKind, type SyntheticVariant } from '../../../shared/runConfig';

/** The study form as the user edits it. */
export interface EvalForm {
  name: string;
  runIds: string[];
  randomBaseline: boolean;
  /** "synthetic:<variant>" or "catalog:<datasetId>" */
  task: string;
  fractions: string;
  seeds: number;
  modes: EvalMode[];
  inputSize: number;
  backend: 'auto' | 'wasm' | 'cpu';
}

export const defaultEvalForm: EvalForm = {
  name: 'label-efficiency study',
  runIds: [],
  randomBaseline: true,
  task: 'synthetic:cell-count-classification',
  fractions: '1, 5, 10, 25, 50, 100',
  seeds: 3,
  modes: ['frozen'],
  inputSize: 64,
  backend: 'auto',
};

/** "1, 5,10 25%" -> [1, 5, 10, 25]; null when a value is not a percentage in (0, 100]. */
export function parseFractions(text: string): number[] | null {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.replace(/%$/, ''))
    .filter(Boolean);
  if (parts.length === 0) return null;
  const values = parts.map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0 || v > 100)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}

/** The study config, or the reason it cannot be built yet. */
export function buildEvalConfig(form: EvalForm, datasetKind: (datasetId: number) => RunTaskKind | null, datasetName: (datasetId: number) => string | undefined = () => undefined): { config: EvalConfigInput } | { problem: string } {
  // refused with the field named, never changed behind the user's back
  if (!Number.isInteger(form.seeds) || form.seeds < 1 || form.seeds > 20) return { problem: `Seeds must be a whole number from 1 to 20, not ${Number.isNaN(form.seeds) ? 'empty' : form.seeds}` };
  if (!Number.isInteger(form.inputSize) || form.inputSize < 32 || form.inputSize > 1024 || form.inputSize % 32 !== 0) {
    return { problem: `Input size must be a multiple of 32 from 32 to 1024, not ${Number.isNaN(form.inputSize) ? 'empty' : form.inputSize}` };
  }
  const fractions = parseFractions(form.fractions);
  if (!fractions) return { problem: 'fractions must be percentages between 0 and 100, e.g. 1, 5, 10, 25, 50, 100' };
  const encoders: EvalConfigInput['encoders'] = [...form.runIds.map((runId) => ({ kind: 'run' as const, runId, checkpoint: 'best' as const })), ...(form.randomBaseline ? [{ kind: 'random' as const }] : [])];
  if (encoders.length === 0) return { problem: 'choose at least one encoder: a pretraining run or the random baseline' };
  if (form.modes.length === 0) return { problem: 'choose frozen, fine-tuned or both' };
  const [sourceKind, ref] = form.task.split(':');
  let task: EvalConfigInput['task'];
  if (sourceKind === 'synthetic' && ref && ref in syntheticVariants) {
    const variant = ref as SyntheticVariant;
    task = { name: variant, kind: syntheticVariants[variant], source: { kind: 'synthetic', variant } };
  } else if (sourceKind === 'catalog' && ref) {
    const datasetId = Number(ref);
    const kind = datasetKind(datasetId);
    if (!kind) return { problem: 'the chosen dataset has no labels a study can use' };
    task = { name: datasetName(datasetId) ?? `dataset ${datasetId}`, kind, source: { kind: 'catalog', datasetId } };
  } else return { problem: 'choose the downstream task' };
  return { config: { name: form.name.trim() || 'label-efficiency study', encoders, task, fractions, seeds: form.seeds, modes: form.modes, inputSize: form.inputSize, backend: form.backend } };
}

/** Table rows: one per fraction, one cell per curve (mean ± sd over seeds). */
export function curveTable(curves: readonly EvalCurve[]): { fractions: number[]; columns: string[]; cells: Array<Array<{ mean: number; sd: number; seeds: number } | null>> } {
  const fractions = [...new Set(curves.flatMap((c) => c.points.map((p) => p.fraction)))].sort((a, b) => a - b);
  const columns = curves.map((c) => `${c.encoder} · ${c.mode}`);
  const cells = fractions.map((f) =>
    curves.map((c) => {
      const p = c.points.find((x) => x.fraction === f);
      return p ? { mean: p.mean, sd: p.sd, seeds: p.seeds } : null;
    }),
  );
  return { fractions, columns, cells };
}
