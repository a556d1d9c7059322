/**
 * The modules under mutation testing (issue 19): where correctness is the
 * product. The one place that names their source files (`mutate`) and the
 * test files that guard them (`tests`); update the paths here when files move.
 * Keep `tests` to the fast files that cover the module: every surviving
 * mutant costs one run of them.
 */
import { readFileSync } from 'node:fs';
import { installedSoftwareDrivers, vulkanLaunchEnvironment } from '../../main/engine/backend/vulkan';

export interface MutationModule {
  name: string;
  /** source files (or Stryker `file:line-line` ranges) to mutate */
  mutate: string[];
  /** the test files run against each mutant */
  tests: string[];
  /**
   * environment for Stryker's test workers, set before they start: they are worker threads, whose
   * process.env changes never reach native code (Dawn's Vulkan loader reads the real environment)
   */
  env?: () => NodeJS.ProcessEnv;
}

/**
 * A Stryker `file:first-last` range from the line holding `fromText` to the
 * first line after it holding `toText`, found when the run starts: fixed line
 * numbers would silently mutate other code once the file changes.
 */
export function linesBetween(file: string, fromText: string, toText: string, source: string = readFileSync(file, 'utf8')): string {
  const lines = source.split('\n');
  const first = lines.findIndex((line) => line.includes(fromText));
  if (first < 0) throw new Error(`mutation range: ${file} has no line with "${fromText}" (moved or renamed? update mutationModules.ts)`);
  const last = lines.findIndex((line, i) => i > first && line.includes(toText));
  if (last < 0) throw new Error(`mutation range: ${file} has no line with "${toText}" after "${fromText}" (update mutationModules.ts)`);
  return `${file}:${first + 1}-${last + 1}`;
}

/** the software Vulkan driver (SwiftShader) and its loader for Dawn in a worker thread, when no other is set */
function softwareWebgpuEnvironment(): NodeJS.ProcessEnv {
  const driver = installedSoftwareDrivers()[0];
  if (!driver) return {};
  // the tests then fail instead of skipping when a mutant keeps webgpu from starting
  return { ...vulkanLaunchEnvironment(), UMEDPT_WEBGPU_REQUIRED: '1', ...(process.env.VK_ICD_FILENAMES ? {} : { VK_ICD_FILENAMES: driver.icd }) };
}

export const mutationModules: MutationModule[] = [
  {
    name: 'metrics-segmentation',
    mutate: ['main/engine/metrics/segmentationOverlap.ts'],
    tests: ['tests/unit/engine/metrics/segmentation.test.ts', 'tests/unit/engine/metrics/segmentationAsymmetric.test.ts'],
  },
  {
    name: 'metrics-detection',
    mutate: ['main/engine/metrics/detectionMap.ts', 'main/engine/metrics/boxIou.ts'],
    tests: ['tests/unit/engine/metrics/detectionMap.test.ts', 'tests/unit/engine/metrics/detectionMapEdges.test.ts'],
  },
  {
    name: 'metrics-classification',
    mutate: [
      'main/engine/metrics/auroc.ts',
      'main/engine/metrics/accuracy.ts',
      'main/engine/metrics/argmax.ts',
      'main/engine/metrics/balancedAccuracy.ts',
      'main/engine/metrics/classificationMetrics.ts',
      'main/engine/metrics/confusionMatrix.ts',
      'main/engine/metrics/macroF1.ts',
      'main/engine/metrics/multiLabelMetrics.ts',
    ],
    tests: ['tests/unit/engine/metrics/classification.test.ts', 'tests/unit/engine/metrics/multiLabel.test.ts', 'tests/unit/engine/metrics/classificationEdges.test.ts'],
  },
  {
    name: 'losses',
    mutate: ['main/engine/losses/*.ts'],
    tests: ['tests/unit/engine/losses/losses.test.ts', 'tests/unit/engine/losses/lossScaling.test.ts'],
  },
  {
    name: 'decoupled-step',
    mutate: ['main/engine/train/decoupledStep.ts'],
    tests: ['tests/unit/engine/train/decoupledStep.test.ts', 'tests/unit/engine/train/decoupledStepRates.test.ts', 'tests/unit/engine/train/decoupledStepAsync.test.ts'],
  },
  {
    name: 'optimizer',
    mutate: ['main/engine/train/adamw.ts', 'main/engine/train/gradientClipping.ts'],
    tests: ['tests/unit/engine/train/adamw.test.ts', 'tests/unit/engine/train/adamwState.test.ts', 'tests/unit/engine/train/gradientClipping.test.ts'],
  },
  {
    name: 'sampler',
    mutate: ['main/engine/train/cyclicSampler.ts'],
    tests: ['tests/unit/engine/train/cyclicSampler.test.ts', 'tests/unit/engine/train/cyclicSamplerTasks.test.ts'],
  },
  {
    name: 'splits',
    mutate: ['main/importers/splitAssignment.ts', 'main/studies/labelFractionSubsets.ts'],
    tests: ['tests/unit/importers/splitAssignment.test.ts', 'tests/unit/importers/splitStratification.test.ts', 'tests/unit/importers/smallSplits.test.ts', 'tests/unit/studies/labelFractionSubsets.test.ts', 'tests/unit/studies/labelFractionTargets.test.ts'],
  },
  {
    // rescale, window and LUT handling: the value readers and functional groups of dicomDataSet.ts
    // (from firstDecimal on), frameRescale + dicomMetadata of dicomFile.ts, and the palette / modality
    // lookup tables. Parsing and codecs are left to dicomDecoding.test.ts.
    name: 'dicom-values',
    mutate: [
      linesBetween('main/imaging/dicomDataSet.ts', 'export function firstDecimal(', "planeOrientation: 'x00209116',"),
      linesBetween('main/imaging/dicomFile.ts', 'function frameRescale(', 'frameCount: module.frames,'),
      'main/imaging/dicomLookupTables.ts',
      'main/imaging/displayWindow.ts',
      'main/imaging/pixelValues.ts',
    ],
    tests: ['tests/unit/imaging/dicomFunctionalGroups.test.ts', 'tests/unit/imaging/dicomPaletteLut.test.ts', 'tests/unit/imaging/pixelValueTransforms.test.ts', 'tests/unit/imaging/dicomPixelKinds.test.ts'],
  },
  {
    name: 'wasm-kernels',
    mutate: ['main/engine/backend/wasmTrainingKernels.ts'],
    tests: ['tests/unit/engine/backend/wasmTrainingKernels.test.ts', 'tests/unit/engine/backend/wasmKernelsAsymmetric.test.ts'],
  },
  {
    // the fixes of tfjs-backend-webgpu's kernels; runs on any WebGPU adapter (here SwiftShader, forced)
    name: 'webgpu-kernels',
    mutate: ['main/engine/backend/webgpuKernelFixes.ts'],
    tests: ['tests/unit/engine/backend/webgpuKernelFixes.test.ts', 'tests/unit/engine/backend/webgpuKernels.test.ts', 'tests/unit/engine/backend/webgpuKernelRoutes.test.ts'],
    env: softwareWebgpuEnvironment,
  },
  {
    name: 'server-auth',
    mutate: ['main/server/serverAuth.ts'],
    tests: ['tests/unit/server/serverAuth.test.ts', 'tests/unit/server/serverGuard.test.ts'],
  },
  {
    name: 'checkpoint',
    mutate: ['main/engine/train/checkpointFiles.ts'],
    tests: ['tests/unit/engine/train/checkpointFiles.test.ts', 'tests/unit/engine/train/checkpointAssignment.test.ts'],
  },
];
