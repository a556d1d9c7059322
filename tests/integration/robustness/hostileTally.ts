/**
 * What the robustness suite tried and how the app took it, for its one summary line.
 * clear: refused with a clear error (an error answer, a status, a close code, a named reason);
 * crash: a process that should have lived died; hang: no answer within the case's deadline.
 */
export interface HostileTally {
  tried: number;
  clear: number;
  crashes: number;
  hangs: number;
  peakMemoryMb: number;
  notes: string[];
}

export const tally: HostileTally = { tried: 0, clear: 0, crashes: 0, hangs: 0, peakMemoryMb: 0, notes: [] };

export function record(outcome: 'clear' | 'crash' | 'hang' | 'tried', count = 1): void {
  tally.tried += count;
  if (outcome === 'clear') tally.clear += count;
  else if (outcome === 'crash') tally.crashes += count;
  else if (outcome === 'hang') tally.hangs += count;
}

export function notePeakMemory(mb: number): void {
  tally.peakMemoryMb = Math.max(tally.peakMemoryMb, mb);
}

export function summaryLine(): string {
  const skipped = tally.notes.length ? `; skipped: ${tally.notes.join('; ')}` : '';
  return `robustness: ${tally.tried} hostile inputs tried, ${tally.clear} clear errors, ${tally.crashes} crashes, ${tally.hangs} hangs, peak memory ${tally.peakMemoryMb} MB${skipped}`;
}
