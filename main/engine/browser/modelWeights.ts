/**
 * A model's weights as named arrays, keyed as the trainer keys them in
 * checkpoints (model/<component>/<i>, head/<task>/<i>), read with data() so
 * it works on every backend; and the way back.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { UmedptModel } from '../model/umedptModel';

export interface WeightArray {
  key: string;
  shape: number[];
  values: Float32Array;
}

function namedVariables(model: UmedptModel): Array<{ key: string; variable: tf.Variable }> {
  const out: Array<{ key: string; variable: tf.Variable }> = [];
  for (const c of model.sharedComponents()) c.model.weights.forEach((w, i) => out.push({ key: `model/${c.name}/${i}`, variable: w.read() as tf.Variable }));
  for (const [task, head] of model.heads) head.model.weights.forEach((w, i) => out.push({ key: `head/${task}/${i}`, variable: w.read() as tf.Variable }));
  return out;
}

export async function modelWeightArrays(model: UmedptModel): Promise<WeightArray[]> {
  const named = namedVariables(model);
  const values = await Promise.all(named.map((n) => n.variable.data()));
  return named.map((n, i) => ({ key: n.key, shape: n.variable.shape, values: values[i] as Float32Array }));
}

/** assigns named arrays to the model's weights; every weight must be present with its size */
export function assignModelWeights(model: UmedptModel, arrays: ReadonlyMap<string, { values: ArrayLike<number> }>, source: string): void {
  for (const { key, variable } of namedVariables(model)) {
    const a = arrays.get(key);
    if (!a) throw new Error(`${source}: no weight '${key}'`);
    if (a.values.length !== variable.size) throw new Error(`${source}: weight '${key}' has ${a.values.length} values, the model ${variable.size}`);
    variable.assign(tf.tensor(Float32Array.from(a.values), variable.shape));
  }
}
