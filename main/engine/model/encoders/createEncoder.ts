import { buildConvnextT } from './convnext';
import { assertInputSize, type EncoderName, type PyramidEncoder, encoderNames } from './encoderSpec';
import { buildResnet } from './resnet';
import { buildSmallCnn } from './smallCnn';

export function createEncoder(name: EncoderName, inputSize: number, seed: number): PyramidEncoder {
  assertInputSize(inputSize);
  switch (name) {
    case 'small-cnn':
      return buildSmallCnn(inputSize, seed);
    case 'resnet18':
      return buildResnet(18, inputSize, seed);
    case 'resnet50':
      return buildResnet(50, inputSize, seed);
    case 'convnext-t':
      return buildConvnextT(inputSize, seed);
    default:
      throw new Error(`unknown encoder '${String(name)}'; choose one of ${encoderNames.join(', ')}`);
  }
}
