/**
 * Stands in for the app's main process in the restart tests: launches a run
 * with the config file given, prints "STEP <runId> <workerPid>" at the first
 * training step, then waits to be killed.
 */
import { readFileSync } from 'node:fs';
import { openCatalog } from '../../../main/catalog/openCatalog';
import { RunManager } from '../../../main/runs/runManager';
import { runConfigSchema } from '../../../shared/runConfig';

const [dataDir, configFile] = process.argv.slice(2) as [string, string];
const catalog = openCatalog(dataDir);
let reported = false;
const manager: RunManager = new RunManager({
  dataDir,
  db: catalog.db,
  onEvent: (event) => {
    if (event.type === 'step' && !reported) {
      reported = true;
      console.log(`STEP ${event.runId} ${manager.processId(event.runId)}`);
    }
  },
});
manager.launch(runConfigSchema.parse(JSON.parse(readFileSync(configFile, 'utf8'))));
setInterval(() => {}, 1000);
