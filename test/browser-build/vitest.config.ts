/**
 * `npm run test:browser:build`: the built browser bundle (dist/browser, from `npm run build`) in a
 * real headless Chromium. Not part of `npm test`, which stays Node-only (and needs no build).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser-build/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
