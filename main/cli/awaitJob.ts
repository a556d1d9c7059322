/**
 * Waiting for a run or a study to end through the API alone: its event
 * stream says when the state changes, one get says where it stands now
 * (so an end that came before the subscription is not missed).
 */
import type { EvalProgressEvent, EvalState, EvalSummary, RunState, RunSummary } from '../../shared/api';
import type { CliSession } from './cliContext';

export function awaitRunState(session: CliSession, runId: string, states: readonly RunState[]): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (summary: RunSummary): void => {
      if (settled || !states.includes(summary.state)) return;
      settled = true;
      unsubscribe();
      resolve(summary);
    };
    const unsubscribe = session.subscribe((message) => {
      if (message.event !== 'runs/updated') return;
      const summary = message.payload as RunSummary;
      if (summary.id === runId) settle(summary);
    });
    session.call('runs/get', { runId }).then(settle, (error: unknown) => {
      settled = true;
      unsubscribe();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

const studyEnded: readonly EvalState[] = ['completed', 'failed', 'cancelled'];

export function isStudyEnded(state: EvalState): boolean {
  return studyEnded.includes(state);
}

/**
 * Resolves with the study's final summary once it completed, failed or was
 * cancelled. A slow poll backs the events up: a queued study cancelled
 * before it started announces nothing.
 */
export function awaitStudyEnd(session: CliSession, id: string, pollMs = 2000): Promise<EvalSummary> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (): void => {
      settled = true;
      clearInterval(poll);
      unsubscribe();
    };
    const check = (): void => {
      session.call('eval/get', { id }).then(
        (summary) => {
          if (settled || !isStudyEnded(summary.state)) return;
          done();
          resolve(summary);
        },
        (error: unknown) => {
          if (settled) return;
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    const unsubscribe = session.subscribe((message) => {
      if (message.event !== 'eval/progress') return;
      const event = message.payload as EvalProgressEvent;
      if (event.evalId === id && isStudyEnded(event.state)) check();
    });
    const poll = setInterval(check, pollMs);
    check();
  });
}
