/** The pyramid encoders on offer and what they return. */
import type * as tfl from '@tensorflow/tfjs-layers';

import { encoderNames, type EncoderName } from '../../../../shared/vocabulary';

export { encoderNames, type EncoderName };

/** strides of the four pyramid levels every encoder returns, in order */
export const pyramidStrides = [4, 8, 16, 32] as const;

export interface PyramidEncoder {
  name: EncoderName;
  /** input [S, S, 3] -> outputs at strides 4, 8, 16, 32 */
  model: tfl.LayersModel;
  /** channels of each pyramid level */
  channels: [number, number, number, number];
}

export function assertInputSize(inputSize: number): void {
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0) {
    throw new Error(`input size ${inputSize} is invalid: image sides must be a positive multiple of 32 (the encoder downsamples 5 times)`);
  }
}
