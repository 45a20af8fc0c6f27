/**
 * `npm run test:package`: packs the package as npm would publish it (`npm pack`, which runs the
 * `prepare` build), installs the tarball into an empty project and uses it there. Not part of
 * `npm test`: it installs from the registry and takes half a minute.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
