/**
 * Shared U-Net pixel decoder: from the stride-32 map up to input resolution,
 * concatenating the encoder level of the same stride (and the raw image at
 * stride 1, as the reference does with its level 0) before each conv block.
 * Channels are capped (ref: 96); the output is a 16-d embedding per pixel.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from './buildContext';
import { Upsample2x } from './layers/upsample2x';

type Sym = tfl.SymbolicTensor;

export const pixelEmbeddingWidth = 16;
export const pixelDecoderChannelCap = 96;

export function buildPixelDecoder(inputSize: number, channels: [number, number, number, number], seed: number): tfl.LayersModel {
  const ctx = new BuildContext('pix', seed);
  const image = tfl.input({ shape: [inputSize, inputSize, 3], name: 'pix_image' });
  const levels = channels.map((c, i) => tfl.input({ shape: [inputSize / 4 / 2 ** i, inputSize / 4 / 2 ** i, c], name: `pix_level${i}` }));
  const up = (x: Sym): Sym => new Upsample2x({ name: ctx.name('up') }).apply(x) as Sym;
  let x = ctx.convNormGelu(levels[3]!, Math.min(pixelDecoderChannelCap, channels[3]), 1);
  for (let i = 2; i >= 0; i--) {
    x = ctx.convNormGelu(ctx.concat([up(x), levels[i]!]), Math.min(pixelDecoderChannelCap, channels[i]!));
  }
  x = ctx.convNormGelu(up(x), Math.min(pixelDecoderChannelCap, 32)); // stride 2
  x = ctx.convNormGelu(ctx.concat([up(x), image]), pixelEmbeddingWidth); // stride 1
  return tfl.model({ inputs: [image, ...levels], outputs: x, name: 'umedpt_pixel_decoder' });
}
