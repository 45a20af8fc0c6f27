// Mutation testing of machines/ (npm run test:mutation; docs/mutation-testing.md).
// The charts (connection, socket, watcher), their helper files and machines/policy/ are mutated;
// chart-model.ts and to-mermaid.ts (readers that draw a chart, tested with the inspector) are not.
// Equivalent mutants are marked in place with `// Stryker disable next-line <mutator>: <reason>`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  mutate: ['machines/**/*.ts', '!machines/chart-model.ts', '!machines/to-mermaid.ts'],
  coverageAnalysis: 'perTest',
  // Two cores shared with other work: one or two sandboxes (override with --concurrency).
  concurrency: 2,
  // A mutant that loops (e.g. a guard that never lets a counter settle) is cut off early.
  timeoutMS: 30_000,
  // The initial run of every test (~1.5 min on a quiet machine) takes far longer on a loaded one.
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 97, low: 95, break: 95 },
  // Only what changed is re-tested: the committed report remembers every other mutant's result.
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: [
    'dist',
    'reports',
    'coverage',
    'artifacts',
    // docs/ stays: the README's and docs/'s Mermaid diagrams of the charts are checked per mutant.
    'docs/api',
    'docs/*.png',
    'docs/*.svg',
    'bench',
    'test/browser*',
    'test/chaos',
    // Other runs' sandboxes (a second run beside this one, or one left by a killed run).
    '.stryker-tmp*',
  ],
};
