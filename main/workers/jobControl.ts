/**
 * What every job manager of main offers (runs, studies, imports), so the
 * services and the CLI drive them alike:
 * - `cancel(id)`: a queued job leaves the queue; a running one is asked to stop
 *   and killed after a grace period. (Runs and studies answer with the job's
 *   summary and refuse a finished job with a conflict error; imports answer
 *   whether a running job was asked to stop, as `import/cancel` reports.)
 * - `waitFor(id)`: resolves with the job's summary once it has finished.
 * - `dispose()`: on shutdown, queued jobs are dropped and running ones stopped
 *   (a run is paused, so it resumes) and awaited.
 * The state of a job lives with its manager's record: the run folder and the
 * catalog for runs, the study folder for studies, memory for imports.
 */
export interface JobControl<Summary, CancelAnswer = Summary> {
  cancel(id: string): CancelAnswer;
  waitFor(id: string): Promise<Summary>;
  dispose(): Promise<void>;
}
