import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // test/package has its own config (npm run test:package): it packs and installs, not part of npm test.
    exclude: ['test/browser/**', 'test/package/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Two cores: integration files use real sockets and timers; keep parallelism modest.
    maxWorkers: 2,
  },
});
