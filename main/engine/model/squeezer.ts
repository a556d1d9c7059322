/**
 * Shared squeezer: global average pool -> 1x1 projection (a dense layer on the
 * pooled vector is the same thing) -> norm -> GELU. Its output is the image
 * vector a frozen-encoder downstream task sees.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from './buildContext';

type Sym = tfl.SymbolicTensor;

export function buildSqueezer(deepestChannels: number, width: number, seed: number): tfl.LayersModel {
  const ctx = new BuildContext('sq', seed);
  const input = tfl.input({ shape: [null, null, deepestChannels], name: 'sq_features' });
  const pooled = tfl.layers.globalAveragePooling2d({ name: ctx.name('gap') }).apply(input) as Sym;
  const projected = tfl.layers
    .dense({ units: width, useBias: false, kernelInitializer: ctx.glorotUniform(), name: ctx.name('proj') })
    .apply(pooled) as Sym;
  return tfl.model({ inputs: input, outputs: ctx.gelu(ctx.norm(projected)), name: 'umedpt_squeezer' });
}
