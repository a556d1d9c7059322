/** What a run that has not finished its first step is doing, from the worker's 'phase:' log lines. */
export function runPhase(logs: ReadonlyArray<{ message: string }>): string {
  for (let i = logs.length - 1; i >= 0; i--) {
    const m = /^phase: (.*)$/.exec(logs[i]!.message);
    if (m) return `${m[1]![0]!.toUpperCase()}${m[1]!.slice(1)}…`;
  }
  return 'Starting the training process…';
}
