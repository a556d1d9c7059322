/**
 * Per-task heads, each a tiny layers model so its weights have their own
 * optimizer and can be saved with the checkpoint. What a head is depends on
 * its task kind: see main/engine/tasks/.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { taskKindModule } from '../tasks/taskKindRegistry';
import type { HeadDims, TaskSpec } from '../tasks/taskKindModule';
import { BuildContext } from './buildContext';

export type { TaskSpec } from '../tasks/taskKindModule';
export { detectionClassPrior } from '../tasks/detection';

export interface TaskHead {
  spec: TaskSpec;
  model: tfl.LayersModel;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

export function buildTaskHead(spec: TaskSpec, dims: HeadDims, seed: number): TaskHead {
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 1) throw new Error(`task '${spec.name}': numClasses must be a positive integer, got ${spec.numClasses}`);
  const kind = taskKindModule(spec.kind);
  kind.checkSpec(spec);
  return { spec, model: kind.buildHead(spec, dims, new BuildContext(`head_${safeName(spec.name)}`, seed)) };
}
