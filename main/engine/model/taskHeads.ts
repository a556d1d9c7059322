/**
 * Per-task heads, each a tiny layers model so its weights have their own
 * optimizer and can be saved with the checkpoint.
 * - classification: (dropout 0.2 and ReLU are applied by the model's forward,
 *   with a seeded mask) -> one dense layer to C logits
 * - segmentation: one 3x3 conv 16 -> C logits at input resolution
 * - detection: the final FCOS convs, shared over levels: class logits (C),
 *   box distances l/t/r/b (as log(distance / stride)) and centerness logit
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { TaskKind } from '../data/taskSample';
import { BuildContext } from './buildContext';
import { pixelEmbeddingWidth } from './pixelDecoder';

type Sym = tfl.SymbolicTensor;

/** FCOS prior: class logits start at p = 0.01 so the focal loss starts stable */
export const detectionClassPrior = 0.01;

export interface TaskSpec {
  name: string;
  kind: TaskKind;
  /** classification / detection: number of classes; segmentation: including background 0 */
  numClasses: number;
  multiLabel?: boolean;
}

export interface TaskHead {
  spec: TaskSpec;
  model: tfl.LayersModel;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

export function buildTaskHead(spec: TaskSpec, dims: { squeezerWidth: number; detectionWidth: number }, seed: number): TaskHead {
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 1) throw new Error(`task '${spec.name}': numClasses must be a positive integer, got ${spec.numClasses}`);
  if (spec.kind === 'segmentation' && spec.numClasses < 2) throw new Error(`task '${spec.name}': segmentation needs at least 2 classes (background + one)`);
  const ctx = new BuildContext(`head_${safeName(spec.name)}`, seed);
  const C = spec.numClasses;
  if (spec.kind === 'classification') {
    const input = tfl.input({ shape: [dims.squeezerWidth], name: ctx.name('vector') });
    const logits = tfl.layers.dense({ units: C, kernelInitializer: ctx.glorotUniform(), name: ctx.name('linear') }).apply(input) as Sym;
    return { spec, model: tfl.model({ inputs: input, outputs: logits }) };
  }
  if (spec.kind === 'segmentation') {
    const input = tfl.input({ shape: [null, null, pixelEmbeddingWidth], name: ctx.name('embedding') });
    const logits = tfl.layers
      .conv2d({ filters: C, kernelSize: 3, padding: 'same', kernelInitializer: ctx.heNormal(), name: ctx.name('conv') })
      .apply(input) as Sym;
    return { spec, model: tfl.model({ inputs: input, outputs: logits }) };
  }
  const clsFeatures = tfl.input({ shape: [null, null, dims.detectionWidth], name: ctx.name('cls_features') });
  const regFeatures = tfl.input({ shape: [null, null, dims.detectionWidth], name: ctx.name('reg_features') });
  const prior = -Math.log((1 - detectionClassPrior) / detectionClassPrior);
  const cls = tfl.layers
    .conv2d({ filters: C, kernelSize: 3, padding: 'same', kernelInitializer: ctx.smallNormal(), biasInitializer: tfl.initializers.constant({ value: prior }), name: ctx.name('cls') })
    .apply(clsFeatures) as Sym;
  const box = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: ctx.smallNormal(), name: ctx.name('box') })
    .apply(regFeatures) as Sym;
  const centerness = tfl.layers
    .conv2d({ filters: 1, kernelSize: 3, padding: 'same', kernelInitializer: ctx.smallNormal(), name: ctx.name('centerness') })
    .apply(regFeatures) as Sym;
  return { spec, model: tfl.model({ inputs: [clsFeatures, regFeatures], outputs: [cls, box, centerness] }) };
}
