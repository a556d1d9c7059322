/**
 * Entry of a study's own process (forked by StudyManager): argv
 * <studyFolder> <dataDir>. It runs the study, reports progress to the parent
 * while the parent is there, and always records it in the folder.
 */
import { studyFolderAt } from './studyFolder';
import { runStudyJob } from './runStudyJob';
import type { StudyWorkerCommand, StudyWorkerMessage } from './studyWorkerProtocol';
import { exitSoon, parentChannel } from '../workers/parentChannel';

const [root, dataDir] = process.argv.slice(2);
if (!root || !dataDir) {
  console.error(`eval worker: expected <studyFolder> <dataDir>, got ${JSON.stringify(process.argv.slice(2))}`);
  process.exit(2);
}
const controller = new AbortController();
const channel = parentChannel<StudyWorkerCommand, StudyWorkerMessage>();
channel.listen((command) => {
  if (command.type === 'cancel') controller.abort();
});
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
const state = await runStudyJob(studyFolderAt(root), dataDir, controller.signal, (event) => void channel.post({ type: 'progress', event }), (line) => console.log(line));
// the folder is written: leave
exitSoon(state === 'failed' ? 1 : 0);
