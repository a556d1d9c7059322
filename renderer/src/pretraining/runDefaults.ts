import type { BackendName } from '../../../shared/api/system';
import type { RunEncoderName } from '../../../shared/runConfig';

export interface SuggestedModel {
  encoder: RunEncoderName;
  inputSize: number;
  batchSize: number;
  /** AdamW learning rate of the shared weights */
  learningRate: number;
  schedule: 'none' | 'cosine';
  warmupSteps: number;
  /** why, in one line, for the form */
  reason: string;
}

/**
 * Defaults that train in reasonable time on the backend at hand: the pure-JS
 * backends get the small CNN at 64 px, native CPU a ResNet-18 at 128 px, CUDA
 * the paper-sized 224 px ResNet-50. The large encoders keep the method's
 * lr 1e-4; the small CNN, trained from scratch in a few hundred steps, gets
 * further sooner at 2e-3 with a short warm-up and cosine decay (measured in
 * docs/method-choices.md: validation score 0.643 vs 0.587 after 144 steps).
 */
export function suggestedModel(backend: BackendName | 'auto' | null): SuggestedModel {
  switch (backend) {
    case 'tensorflow-gpu':
      return { encoder: 'resnet50', inputSize: 224, batchSize: 32, learningRate: 1e-4, schedule: 'none', warmupSteps: 0, reason: 'a CUDA GPU trains a ResNet-50 at 224 px with batch 32 and lr 1e-4, as in the paper' };
    case 'tensorflow':
      return { encoder: 'resnet18', inputSize: 128, batchSize: 16, learningRate: 1e-4, schedule: 'none', warmupSteps: 0, reason: 'native TensorFlow on the CPU trains a ResNet-18 at 128 px with batch 16 and lr 1e-4' };
    default:
      return {
        encoder: 'small-cnn',
        inputSize: 64,
        batchSize: 8,
        learningRate: 2e-3,
        schedule: 'cosine',
        warmupSteps: 10,
        reason: `the ${backend ?? 'selected'} backend runs in JavaScript / WebAssembly, so the small CNN at 64 px with batch 8 keeps steps short; from scratch it learns fastest at lr 2e-3 with cosine decay`,
      };
  }
}

/** Input sizes the encoders accept (multiples of 32), for the form. */
export const inputSizeChoices = [32, 64, 96, 128, 160, 192, 224, 256, 320, 384, 512];
