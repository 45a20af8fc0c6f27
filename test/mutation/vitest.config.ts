import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of machines/ (`npm run test:mutation`): the tests
 * that judge the charts and the policy, nothing that needs a real socket or child process —
 * pure chart tests, the generated (model-based) paths with their per-step checks, the coverage
 * gates, command sequences and the policy tests. Stryker runs them in one worker per sandbox
 * and stops a mutant at its first failing test.
 */
export default defineConfig({
  test: {
    include: [
      'test/machines/**/*.test.ts',
      'test/model/**/*.test.ts',
      'test/policy/**/*.test.ts',
      'test/socket/socket.pure.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
