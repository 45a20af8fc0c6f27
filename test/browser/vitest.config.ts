/**
 * `npm run test:browser`: the inspector page in a real headless Chromium (Debian's `chromium`,
 * driven by playwright-core). Not part of `npm test`, which stays Node-only.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
