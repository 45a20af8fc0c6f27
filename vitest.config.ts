import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // test/package runs alone (npm run test:package, in CI): it packs, builds and installs.
    exclude: ['test/browser/**', 'test/package/**', 'node_modules/**'],
    // Hang guards, not speed claims: generous, so that CPU-bound tests (generated model paths,
    // fast-check runs, 10,000 links) pass on a 2-core machine busy with other work (the socket
    // chart's generated paths took 61 s at load 8, over 120 s at load 16).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: integration files use real sockets and timers; keep parallelism modest.
    maxWorkers: 2,
  },
});
