import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * `npm run test:unit`: the fast subset to run while working (under a minute
 * on the 2-core machine: see README, Tests). Unit tests only, without the
 * ones that train, build whole models, bundle the app or spawn the linter;
 * `npm test` (what CI runs) runs them all, with the integration tests.
 */
export const slowUnitTests = [
  'tests/unit/engine/backend/wasmTrainingKernels.test.ts',
  'tests/unit/engine/backend/wasmTrainingStep.test.ts',
  'tests/unit/engine/data/syntheticLearnability.test.ts',
  'tests/unit/engine/model/umedptModel.test.ts',
  'tests/unit/engine/model/encoderExport.test.ts',
  'tests/unit/engine/train/decoupledStep.test.ts',
  'tests/unit/engine/train/decoupledStepRates.test.ts',
  'tests/unit/engine/train/trainerLeak.test.ts',
  'tests/unit/engine/train/trainerResume.test.ts',
  'tests/unit/engine/data/augment.test.ts',
  'tests/unit/engine/data/synthetic.test.ts',
  'tests/unit/engine/tasks/taskKindModules.test.ts',
  'tests/unit/engine/tasks/taskKindRegistry.test.ts',
  'tests/unit/electron/buildElectron.test.ts',
  'tests/unit/electron/engineWindowHost.test.ts',
  'tests/unit/electron/electronBuilderConfig.test.ts',
  'tests/unit/imaging/headerSpeed.test.ts',
  'tests/unit/imaging/sharedSamples.test.ts',
  'tests/unit/lint/layerRules.test.ts',
];

// not mergeConfig: it would append these globs to the base's instead of replacing them
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/unit/**/*.test.ts'],
    // files share one module cache per worker: tfjs and the codecs load once, not once per file
    isolate: false,
    exclude: [...slowUnitTests, '**/node_modules/**'],
  },
});
