/** Run tasks read from catalog datasets. */
import type { TaskData } from '../engine/data/taskSample';
import type { RunTaskConfig } from '../../shared/runConfig';

export async function loadCatalogTask(task: RunTaskConfig, _inputSize: number, _dataDir: string): Promise<TaskData> {
  throw new Error(`task "${task.name}": catalog datasets are not supported yet`);
}
