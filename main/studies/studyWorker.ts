/**
 * Entry of a study's own process (forked by EvalJobManager): argv
 * <studyFolder> <dataDir>. It runs the study, reports progress to the parent
 * while the parent is there, and always records it in the folder.
 */
import { evalFolderAt } from './studyFolder';
import { runEvalJob } from './runStudyJob';
import type { EvalWorkerCommand, EvalWorkerMessage } from './studyWorkerProtocol';
import { exitSoon, parentChannel } from '../workers/parentChannel';

const [root, dataDir] = process.argv.slice(2);
if (!root || !dataDir) {
  console.error(`eval worker: expected <studyFolder> <dataDir>, got ${JSON.stringify(process.argv.slice(2))}`);
  process.exit(2);
}
const controller = new AbortController();
const channel = parentChannel<EvalWorkerCommand, EvalWorkerMessage>();
channel.listen((command) => {
  if (command.type === 'cancel') controller.abort();
});
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
const state = await runEvalJob(evalFolderAt(root), dataDir, controller.signal, (event) => void channel.post({ type: 'progress', event }), (line) => console.log(line));
// the folder is written: leave
exitSoon(state === 'failed' ? 1 : 0);
