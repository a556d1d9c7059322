import { defineConfig } from 'vitest/config';

/**
 * The vitest config Stryker runs under (npm run test:mutation): only the
 * test files of the module being mutated, named by scripts/mutation/runMutation.ts
 * in UMEDPT_MUTATION_TESTS, so a mutant never waits for the slow learning test.
 */
const testFiles = (process.env.UMEDPT_MUTATION_TESTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: testFiles.length ? testFiles : ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
