/**
 * Follows a run from the terminal until it ends or pauses: progress lines,
 * Ctrl-C pauses it cleanly (checkpoint, then the process ends) and says how
 * to resume. Exit code: 0 completed, 130 paused by Ctrl-C, 1 otherwise.
 */
import type { ApiEventMessage, RunEvent, RunSummary } from '../../shared/api';
import type { CliSession } from './cliContext';
import { interruptedExitCode, onCtrlC, type CliIo } from './commands';
import { awaitRunState } from './awaitJob';
import { RunProgressPrinter } from './runProgress';

export interface FollowOptions {
  /** redraw the progress bar in place (default: when stdout is a terminal) */
  live?: boolean;
}

export async function followRun(session: CliSession, runId: string, io: CliIo, options: FollowOptions = {}): Promise<{ code: number; summary: RunSummary }> {
  const live = options.live ?? Boolean(process.stdout.isTTY);
  const printer = new RunProgressPrinter(io, { live, write: (t) => process.stdout.write(t) });
  const unsubscribe = session.subscribe((message: ApiEventMessage) => {
    if (message.event !== 'runs/event') return;
    const event = message.payload as RunEvent;
    if (event.runId === runId) printer.handle(event);
  });
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) {
      io.err('still pausing: waiting for the current step and the checkpoint to finish');
      return;
    }
    interrupted = true;
    io.err(`\npausing run ${runId} after the current step (its checkpoint is being written)...`);
    session.call('runs/pause', { runId }).catch((error: unknown) => io.err(error instanceof Error ? error.message : String(error)));
  };
  const stopListening = onCtrlC(onSigint);
  try {
    const summary = await awaitRunState(session, runId, ['completed', 'failed', 'cancelled', 'interrupted', 'paused']);
    printer.finish(summary);
    io.out(`run folder: ${summary.folder}`);
    if (summary.state === 'completed') {
      io.out(`export the encoder with: umedpt export ${runId} <dir>`);
      return { code: 0, summary };
    }
    if (summary.state === 'paused' || summary.state === 'interrupted' || summary.state === 'cancelled') {
      io.out(`resume with: umedpt resume ${runId}`);
    }
    if (summary.error) io.err(`error: ${summary.error}`);
    return { code: summary.state === 'paused' && interrupted ? interruptedExitCode : 1, summary };
  } finally {
    stopListening();
    unsubscribe();
  }
}
