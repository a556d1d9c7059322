/**
 * Entry of a training process (child_process.fork in plain Node, Electron
 * utilityProcess in the app). argv: <runFolder> <dataDir> start|resume.
 * It trains until done, paused or cancelled, then exits; events go to the
 * parent while it is there and always to the run folder.
 */
import { decodeWorkerArgs, type WorkerCommand, type WorkerMessage } from './workerProtocol';
import { requestStop, runTraining, type TrainingControl } from './runTraining';
import { exitSoon, parentChannel } from '../workers/parentChannel';

const control: TrainingControl = { stopRequest: null };
// After the parent died the run goes on (the next app start adopts it): posting is then a no-op.
const channel = parentChannel<WorkerCommand, WorkerMessage>();
channel.listen((command) => {
  if (command.type === 'pause' || command.type === 'cancel') requestStop(control, command.type);
});
// Ctrl-C in a terminal reaches the whole process group: the parent decides (it pauses us).
process.on('SIGINT', () => {});
// SIGTERM (cancel of an adopted run, system shutdown): stop cleanly with a checkpoint.
process.on('SIGTERM', () => requestStop(control, 'cancel'));

const args = decodeWorkerArgs(process.argv.slice(2));
const outcome = await runTraining(args, control, (event) => void channel.post({ type: 'event', event }));
// the folder is written: leave
exitSoon(outcome === 'failed' ? 1 : 0);
