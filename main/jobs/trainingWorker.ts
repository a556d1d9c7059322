/**
 * Entry of a training process (child_process.fork in plain Node, Electron
 * utilityProcess in the app). argv: <runFolder> <dataDir> start|resume.
 * It trains until done, paused or cancelled, then exits; events go to the
 * parent while it is there and always to the run folder.
 */
import { decodeWorkerArgs, type WorkerCommand, type WorkerMessage } from './workerProtocol';
import { requestStop, runTraining, type TrainingControl } from './runTraining';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Electron's utilityProcess exposes process.parentPort; a Node fork has process.send. */
function parentChannel(): { post(message: WorkerMessage): void; listen(handler: (command: WorkerCommand) => void): void } {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return { post: (m) => port.postMessage(m), listen: (h) => port.on('message', (e) => h(e.data as WorkerCommand)) };
  }
  return {
    // After the parent died the run goes on (the next app start adopts it): sending is then a no-op.
    post: (m) => {
      // with a callback a failed send (parent just died: EPIPE) is reported there instead of crashing us
      if (process.connected) process.send?.(m, undefined, undefined, () => {});
    },
    listen: (h) => process.on('message', (m) => h(m as WorkerCommand)),
  };
}

const control: TrainingControl = { stopRequest: null };
const channel = parentChannel();
channel.listen((command) => {
  if (command.type === 'pause' || command.type === 'cancel') requestStop(control, command.type);
});
// Ctrl-C in a terminal reaches the whole process group: the parent decides (it pauses us).
process.on('SIGINT', () => {});
// SIGTERM (cancel of an adopted run, system shutdown): stop cleanly with a checkpoint.
process.on('SIGTERM', () => requestStop(control, 'cancel'));

const args = decodeWorkerArgs(process.argv.slice(2));
const outcome = await runTraining(args, control, (event) => channel.post({ type: 'event', event }));
process.exitCode = outcome === 'failed' ? 1 : 0;
// tfjs keeps handles (wasm threads) open: leave explicitly once the folder is written.
setTimeout(() => process.exit(), 50);
