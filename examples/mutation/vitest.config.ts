import { defineConfig } from 'vitest/config';

/** The tests that judge examples/app-machine.ts under Stryker: its generated lifecycle paths. */
export default defineConfig({
  test: {
    include: ['examples/banner.model.test.ts'],
    testTimeout: 120_000,
  },
});
