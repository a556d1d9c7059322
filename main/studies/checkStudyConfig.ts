/**
 * Checks of a study config against the data folder, before anything is
 * queued: every encoder can be found and read, a catalog dataset exists.
 * Returns one message per problem.
 */
import { existsSync } from 'node:fs';
import { catalogPath, type Catalog } from '../catalog/openCatalog';
import type { EvalConfig } from '../../shared/api/eval';
import { resolveEncoder } from './studyEncoders';

/** catalog: the process's connection, asked for only when the data folder has a catalog. */
export function checkStudyConfig(config: EvalConfig, dataDir: string, catalog: () => Catalog): string[] {
  const problems: string[] = [];
  config.encoders.forEach((encoder, i) => {
    try {
      resolveEncoder(encoder, dataDir);
    } catch (error) {
      problems.push(`encoders.${i}: ${(error as Error).message}`);
    }
  });
  const source = config.task.source;
  if (source.kind === 'catalog') {
    if (source.trainSplit === source.testSplit) problems.push(`task.source: trainSplit and testSplit are both '${source.trainSplit}'; the test split must never be trained on`);
    if (!existsSync(catalogPath(dataDir))) problems.push(`task.source.datasetId: there is no catalog in ${dataDir} yet (import the dataset first)`);
    else if (!catalog().getDataset(source.datasetId)) problems.push(`task.source.datasetId: no dataset ${source.datasetId} in the catalog`);
  }
  return problems;
}
