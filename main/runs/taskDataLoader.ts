/**
 * The data of every task of a run, as the trainer takes it: synthetic tasks
 * are generated, catalog tasks are read, decoded and resized. The task's
 * trainSplit feeds training and its valSplit validation.
 */
import type { TaskData } from '../engine/data/taskSample';
import type { RunConfig, RunTaskConfig } from '../../shared/runConfig';
import { loadSyntheticTask } from './syntheticTasks';
import { loadCatalogTask } from './catalogTasks';
import { backgroundClassIndex } from '../../shared/classRoles';

function capped<T>(items: T[], max: number): T[] {
  return max > 0 ? items.slice(0, max) : items;
}

export async function loadRunTask(task: RunTaskConfig, config: RunConfig, dataDir: string): Promise<TaskData> {
  const data = task.source.kind === 'synthetic' ? loadSyntheticTask(task, config.model.inputSize) : await loadCatalogTask(task, config.model.inputSize, dataDir);
  const bySplit = { train: data.train, val: data.val, test: data.test };
  const train = capped(bySplit[task.trainSplit], task.maxTrainImages);
  const val = capped(bySplit[task.valSplit], task.maxValImages);
  const test = task.trainSplit !== 'test' && task.valSplit !== 'test' ? data.test : [];
  // segmentation: every path (validation, predictions) scores the same classes
  const backgroundClass = data.kind === 'segmentation' ? (data.backgroundClass !== undefined ? data.backgroundClass : backgroundClassIndex(data.classNames, task.classes?.background)) : undefined;
  return { ...data, ...(backgroundClass !== undefined ? { backgroundClass } : {}), name: task.name, multiLabel: task.multiLabel, train, val, test };
}

export async function loadRunTasks(config: RunConfig, dataDir: string, log: (message: string) => void = () => {}): Promise<TaskData[]> {
  const tasks: TaskData[] = [];
  for (const task of config.tasks) {
    const started = Date.now();
    const data = await loadRunTask(task, config, dataDir);
    if (!data.train.length) throw new Error(`task "${task.name}": no training images in split ${task.trainSplit}`);
    tasks.push(data);
    const scored = data.kind === 'segmentation' ? ` (${data.backgroundClass == null ? 'all scored' : `"${data.classNames[data.backgroundClass]}" is background, not scored`})` : '';
    log(`task ${task.name}: ${data.kind}, ${data.classNames.length} classes${scored}, ${data.train.length} train / ${data.val.length} val images (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  return tasks;
}
