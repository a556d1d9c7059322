/**
 * Shared FCOS detection decoder: an FPN from stride 8 (laterals 1x1, top-down
 * sum, 3x3 smoothing; extra levels by stride-2 convs) and the shared
 * classification and regression towers (4 x conv3x3 + GroupNorm + GELU),
 * whose weights are shared across levels. Only levels whose map is at least
 * 2x2 (stride <= input side / 2) are built: a 1x1 level only adds kernels.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from './buildContext';
import { GroupNorm } from './layers/groupNorm';
import { Gelu } from './layers/gelu';
import { Upsample2x } from './layers/upsample2x';

type Sym = tfl.SymbolicTensor;

export interface DetectionDecoderSpec {
  model: tfl.LayersModel;
  /** stride of each level; outputs are [cls_0..cls_L-1, reg_0..reg_L-1] */
  strides: number[];
  width: number;
}

/** one pyramid level of the detection decoder */
export interface DetectionLevel {
  stride: number;
  /** side of the level's square feature map */
  size: number;
}

export const towerDepth = 4;

export function detectionStrides(inputSize: number): number[] {
  return [8, 16, 32, 64, 128].filter((s) => s <= inputSize / 2);
}

function towerLayers(ctx: BuildContext, width: number): tfl.layers.Layer[] {
  const layers: tfl.layers.Layer[] = [];
  for (let i = 0; i < towerDepth; i++) {
    layers.push(
      tfl.layers.conv2d({ filters: width, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: ctx.smallNormal(), name: ctx.name('tower_conv') }),
      new GroupNorm({ groups: 1, name: ctx.name('tower_gn') }),
      new Gelu({ name: ctx.name('tower_gelu') }),
    );
  }
  return layers;
}

export function buildDetectionDecoder(inputSize: number, channels: [number, number, number, number], width: number, seed: number): DetectionDecoderSpec {
  const ctx = new BuildContext('det', seed);
  const strides = detectionStrides(inputSize);
  const levels = [1, 2, 3].map((i) => tfl.input({ shape: [inputSize / 4 / 2 ** i, inputSize / 4 / 2 ** i, channels[i]!], name: `det_level${i}` }));
  const lateral = levels.map((l) => ctx.conv(l, width, 1, 1, true, 'lateral'));
  const up = (x: Sym): Sym => new Upsample2x({ name: ctx.name('up') }).apply(x) as Sym;
  const topDown: Sym[] = [lateral[2]!];
  topDown.unshift(ctx.add([lateral[1]!, up(topDown[0]!)]));
  topDown.unshift(ctx.add([lateral[0]!, up(topDown[0]!)]));
  // the top-down path always runs to stride 32; levels too small for the input are not output
  const pyramid = topDown.slice(0, strides.length).map((x) => ctx.conv(x, width, 3, 1, true, 'fpn_out'));
  if (strides.length > 3) pyramid.push(ctx.conv(pyramid[2]!, width, 3, 2, true, 'p6'));
  if (strides.length > 4) pyramid.push(ctx.conv(ctx.gelu(pyramid[3]!), width, 3, 2, true, 'p7'));
  const clsTower = towerLayers(ctx, width);
  const regTower = towerLayers(ctx, width);
  const run = (layers: tfl.layers.Layer[], x: Sym): Sym => layers.reduce((y, layer) => layer.apply(y) as Sym, x);
  const clsOut = pyramid.map((p) => run(clsTower, p));
  const regOut = pyramid.map((p) => run(regTower, p));
  return { model: tfl.model({ inputs: levels, outputs: [...clsOut, ...regOut], name: 'umedpt_detection_decoder' }), strides, width };
}
