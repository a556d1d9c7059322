/**
 * What every job manager of main offers (runs, studies, imports), so the
 * services and the CLI drive them alike. All three queue, start, stop and
 * end their jobs through the one job queue (./jobQueue.ts).
 * - `cancel(id)`: a queued job leaves the queue; a running one is asked to stop
 *   and killed after a grace period. Answers the job's summary; an unknown job
 *   is a not-found error and a job that has ended a conflict error.
 * - `waitFor(id)`: resolves with the job's summary once it has finished.
 * - `dispose()`: on shutdown, queued jobs are dropped and running ones stopped
 *   (a run is paused, so it resumes) and awaited.
 * The state of a job lives with its manager's record: the run folder and the
 * catalog for runs, the study folder for studies, memory for imports.
 */
export interface JobControl<Summary> {
  cancel(id: string): Summary;
  waitFor(id: string): Promise<Summary>;
  dispose(): Promise<void>;
}
