import { defineConfig } from 'vitest/config';

/**
 * The fault-injection suite (`npm run test:chaos`), apart from `npm test`: real sockets through
 * an in-test TCP proxy, real time. Files run one after another (two cores: timing bounds must
 * not depend on what another file does meanwhile); the figures are printed at the end.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    globalSetup: ['test/chaos/global-setup.ts'],
    // Hang guards (every wait inside is bounded and named): 60 s was too short for the waits of
    // a start at load 18–20 (round 23).
    testTimeout: 300_000,
    hookTimeout: 30_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
