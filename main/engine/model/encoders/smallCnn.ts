/**
 * The CPU-friendly default encoder: a strided conv stem and four stages, each
 * a stride-2 conv followed by one residual block, GroupNorm(1) + GELU.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from '../buildContext';
import type { PyramidEncoder } from './encoderSpec';

type Sym = tfl.SymbolicTensor;

const stemWidth = 16;
const stageWidths: [number, number, number, number] = [32, 48, 64, 96];

function residualBlock(ctx: BuildContext, x: Sym, width: number): Sym {
  const y = ctx.norm(ctx.conv(ctx.convNormGelu(x, width), width, 3));
  return ctx.gelu(ctx.add([x, y]));
}

export function buildSmallCnn(inputSize: number, seed: number): PyramidEncoder {
  const ctx = new BuildContext('enc', seed);
  const input = tfl.input({ shape: [inputSize, inputSize, 3], name: 'enc_image' });
  let x = ctx.convNormGelu(input, stemWidth, 3, 2);
  const outputs: Sym[] = [];
  for (const width of stageWidths) {
    x = ctx.convNormGelu(x, width, 3, 2);
    x = residualBlock(ctx, x, width);
    outputs.push(x);
  }
  return { name: 'small-cnn', model: tfl.model({ inputs: input, outputs, name: 'umedpt_encoder' }), channels: stageWidths };
}
