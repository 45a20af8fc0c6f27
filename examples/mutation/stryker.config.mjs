// Mutation testing of an application machine that spawns a link (examples/app-machine.ts), with
// the generated lifecycle paths of linkvisor/testing as the tests (examples/banner.model.test.ts).
// Run: npx stryker run examples/mutation/stryker.config.mjs   (docs/mutation-testing.md)
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'examples/mutation/vitest.config.ts' },
  mutate: ['examples/app-machine.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress'],
  tempDirName: '.stryker-tmp-example',
  cleanTempDir: 'always',
  ignorePatterns: [
    'dist',
    'reports',
    'coverage',
    'artifacts',
    'docs',
    'bench',
    'test/browser*',
    'test/chaos',
  ],
};
