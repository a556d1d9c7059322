/**
 * ConvNeXt-T style pyramid encoder: patchify stem (4x4, stride 4), stages of
 * depthwise 7x7 -> per-pixel LayerNorm -> 1x1 (4x) -> GELU -> 1x1 blocks,
 * LayerNorm + 2x2 stride-2 downsampling between stages. (Layer scale and
 * stochastic depth are left out: they matter for very long ImageNet runs.)
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from '../buildContext';
import type { PyramidEncoder } from './encoderSpec';

type Sym = tfl.SymbolicTensor;

const depths = [3, 3, 9, 3];
const dims: [number, number, number, number] = [96, 192, 384, 768];

function convnextBlock(ctx: BuildContext, x: Sym, dim: number): Sym {
  let y = tfl.layers
    .depthwiseConv2d({ kernelSize: 7, padding: 'same', depthwiseInitializer: ctx.heNormal(), name: ctx.name('dwconv') })
    .apply(x) as Sym;
  y = ctx.norm(y, 'channel');
  y = ctx.gelu(ctx.conv(y, dim * 4, 1, 1, true, 'pw1'));
  y = ctx.conv(y, dim, 1, 1, true, 'pw2');
  return ctx.add([x, y]);
}

export function buildConvnextT(inputSize: number, seed: number): PyramidEncoder {
  const ctx = new BuildContext('enc', seed);
  const input = tfl.input({ shape: [inputSize, inputSize, 3], name: 'enc_image' });
  let x = ctx.norm(ctx.conv(input, dims[0], 4, 4, true, 'stem'), 'channel');
  const outputs: Sym[] = [];
  depths.forEach((depth, stage) => {
    if (stage > 0) x = ctx.conv(ctx.norm(x, 'channel'), dims[stage]!, 2, 2, true, 'down');
    for (let i = 0; i < depth; i++) x = convnextBlock(ctx, x, dims[stage]!);
    outputs.push(x);
  });
  return { name: 'convnext-t', model: tfl.model({ inputs: input, outputs, name: 'umedpt_encoder' }), channels: dims };
}
