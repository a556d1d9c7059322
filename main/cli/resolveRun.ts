/** A run named on the command line: its id, a unique id prefix, or a unique name. */
import type { RunSummary } from '../../shared/api';

export function resolveRun(runs: RunSummary[], ref: string): RunSummary {
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const byPrefix = runs.filter((r) => r.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0]!;
  const byName = runs.filter((r) => r.name === ref);
  if (byName.length === 1) return byName[0]!;
  const candidates = byPrefix.length > 1 ? byPrefix : byName;
  if (candidates.length > 1) throw new Error(`"${ref}" matches ${candidates.length} runs (${candidates.map((r) => r.id).join(', ')}): give the full id`);
  throw new Error(`no run "${ref}" (umedpt runs lists them)`);
}
