/**
 * ResNet-18 / ResNet-50 style pyramid encoders with GroupNorm(1) in place of
 * BatchNorm: no batch statistics in shared blocks, since each task brings its own
 * small batches (docs/method-choices.md, "Architecture").
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from '../buildContext';
import type { PyramidEncoder } from './encoderSpec';

type Sym = tfl.SymbolicTensor;

function basicBlock(ctx: BuildContext, x: Sym, width: number, stride: number, project: boolean): Sym {
  const y = ctx.norm(ctx.conv(ctx.relu(ctx.norm(ctx.conv(x, width, 3, stride))), width, 3));
  const shortcut = project ? ctx.norm(ctx.conv(x, width, 1, stride)) : x;
  return ctx.relu(ctx.add([shortcut, y]));
}

function bottleneckBlock(ctx: BuildContext, x: Sym, width: number, stride: number, project: boolean): Sym {
  const out = width * 4;
  let y = ctx.relu(ctx.norm(ctx.conv(x, width, 1)));
  y = ctx.relu(ctx.norm(ctx.conv(y, width, 3, stride)));
  y = ctx.norm(ctx.conv(y, out, 1));
  const shortcut = project ? ctx.norm(ctx.conv(x, out, 1, stride)) : x;
  return ctx.relu(ctx.add([shortcut, y]));
}

export function buildResnet(depth: 18 | 50, inputSize: number, seed: number): PyramidEncoder {
  const ctx = new BuildContext('enc', seed);
  const input = tfl.input({ shape: [inputSize, inputSize, 3], name: 'enc_image' });
  let x = ctx.relu(ctx.norm(ctx.conv(input, 64, 7, 2)));
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: ctx.name('maxpool') }).apply(x) as Sym;
  const blocks = depth === 18 ? [2, 2, 2, 2] : [3, 4, 6, 3];
  const widths = [64, 128, 256, 512];
  const outputs: Sym[] = [];
  blocks.forEach((count, stage) => {
    const width = widths[stage]!;
    for (let i = 0; i < count; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      // the first block of a stage changes shape (stride or width) and needs a projection
      const project = i === 0 && (stage > 0 || depth === 50);
      x = depth === 18 ? basicBlock(ctx, x, width, stride, project) : bottleneckBlock(ctx, x, width, stride, project);
    }
    outputs.push(x);
  });
  const channels = (depth === 18 ? widths : widths.map((w) => w * 4)) as [number, number, number, number];
  return { name: depth === 18 ? 'resnet18' : 'resnet50', model: tfl.model({ inputs: input, outputs, name: 'umedpt_encoder' }), channels };
}
