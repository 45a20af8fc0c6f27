import { defineConfig } from 'vitest/config';

/** The tests that judge examples/app-machine.ts under Stryker: its generated lifecycle paths,
 * and the test that drives it against a real ws server (quit, messages). */
export default defineConfig({
  test: {
    include: ['examples/banner.model.test.ts', 'test/examples/app-machine.test.ts'],
    testTimeout: 120_000,
  },
});
