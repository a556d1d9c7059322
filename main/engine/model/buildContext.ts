/**
 * What a block builder needs: unique layer names under a component prefix and
 * seeded initialisers, so two models built with the same seed are identical.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { SeededRandom } from '../../../shared/seededRandom';
import { GroupNorm } from './layers/groupNorm';
import { Gelu } from './layers/gelu';

type Sym = tfl.SymbolicTensor;

export class BuildContext {
  private counter = 0;
  private readonly random: SeededRandom;

  constructor(
    readonly prefix: string,
    seed: number,
  ) {
    this.random = SeededRandom.fromState(seed);
  }

  name(part: string): string {
    this.counter += 1;
    return `${this.prefix}_${part}_${this.counter}`;
  }

  heNormal(): ReturnType<typeof tfl.initializers.heNormal> {
    return tfl.initializers.heNormal({ seed: this.random.seed() });
  }

  glorotUniform(): ReturnType<typeof tfl.initializers.heNormal> {
    return tfl.initializers.glorotUniform({ seed: this.random.seed() });
  }

  /** small-scale normal init for output convolutions (FCOS style) */
  smallNormal(stddev = 0.01): ReturnType<typeof tfl.initializers.heNormal> {
    return tfl.initializers.randomNormal({ mean: 0, stddev, seed: this.random.seed() });
  }

  conv(x: Sym, filters: number, kernelSize: number, strides = 1, useBias = false, part = 'conv'): Sym {
    return tfl.layers
      .conv2d({ filters, kernelSize, strides, padding: 'same', useBias, kernelInitializer: this.heNormal(), name: this.name(part) })
      .apply(x) as Sym;
  }

  norm(x: Sym, scope: 'group' | 'channel' = 'group'): Sym {
    return new GroupNorm({ groups: 1, scope, name: this.name(scope === 'group' ? 'gn' : 'ln') }).apply(x) as Sym;
  }

  gelu(x: Sym): Sym {
    return new Gelu({ name: this.name('gelu') }).apply(x) as Sym;
  }

  relu(x: Sym): Sym {
    return tfl.layers.activation({ activation: 'relu', name: this.name('relu') }).apply(x) as Sym;
  }

  add(xs: Sym[]): Sym {
    return tfl.layers.add({ name: this.name('add') }).apply(xs) as Sym;
  }

  concat(xs: Sym[]): Sym {
    return tfl.layers.concatenate({ axis: -1, name: this.name('concat') }).apply(xs) as Sym;
  }

  /** conv -> GroupNorm(1) -> GELU: the basic shared block */
  convNormGelu(x: Sym, filters: number, kernelSize = 3, strides = 1): Sym {
    return this.gelu(this.norm(this.conv(x, filters, kernelSize, strides)));
  }
}
