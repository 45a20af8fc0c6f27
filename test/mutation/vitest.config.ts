import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The tests Stryker runs against each mutant of machines/ (`npm run test:mutation`): the tests
 * that judge the charts and the policy, nothing that needs a real socket or child process —
 * pure chart tests, the generated (model-based) paths with their per-step checks, the coverage
 * gates, command sequences, the policy tests and the README diagrams of the charts. Stryker runs them in one worker per sandbox
 * and stops a mutant at its first failing test.
 */
const ORDER = [
  'test/machines/charts-load',
  'test/machines/',
  'test/socket/',
  'test/inspector/mermaid-readme',
  'test/policy/',
  'test/model/chart-coverage',
  'test/model/link-step-check',
  'test/model/connection.model',
  'test/model/',
];

/** Fast files first: a mutant of the chart's config runs every file until one fails, so the
 * cheap pure tests get the first chance to kill it (vitest would start with the slowest file). */
class FastFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = ORDER.findIndex((prefix) => file.moduleId.includes(`/${prefix}`));
      return index === -1 ? ORDER.length : index;
    };
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

const ALL = [
  'test/machines/**/*.test.ts',
  'test/model/**/*.test.ts',
  'test/policy/**/*.test.ts',
  // The socket chart's pure tests (test/socket/ also holds tests with real sockets: not those).
  'test/socket/*.pure.test.ts',
  // The README's diagrams of the charts: a committed record of their structure (states,
  // events, guards, named delays, state descriptions) that a mutant of the config changes.
  'test/inspector/mermaid-readme.test.ts',
];

/** While iterating on one file, `LV_MUTATION_TESTS=watcher,charts-load` runs only the test files
 * of the set whose name contains one of the words (`policy`: every policy test) — a lower bound
 * of the score: fewer tests kill fewer. */
const only = (process.env.LV_MUTATION_TESTS ?? '').split(',').filter(Boolean);
const DIRS = ['test/machines/**/', 'test/model/**/', 'test/policy/**/'];
/** The socket chart's pure tests, by name: a word matches them as it matches a file of DIRS. */
const SOCKET_PURE = readdirSync(new URL('../socket/', import.meta.url))
  .filter((name) => name.endsWith('.pure.test.ts'))
  .map((name) => `test/socket/${name}`);
const SINGLE = [...SOCKET_PURE, 'test/inspector/mermaid-readme.test.ts'];
const narrowed = [
  ...only.flatMap((word) =>
    word === 'policy' ? ['test/policy/**/*.test.ts'] : DIRS.map((dir) => `${dir}*${word}*.test.ts`),
  ),
  ...SINGLE.filter((file) => only.some((word) => file.includes(word))),
];

export default defineConfig({
  test: {
    include: only.length > 0 ? narrowed : ALL,
    sequence: { sequencer: FastFirst },
    // Hang guards, as in the main config (a mutant that hangs is stopped by Stryker's own timeout,
    // timeoutMS + 1.5 × the dry run's time, first): the socket chart's generated paths took 98 s
    // uninstrumented at load 20, where Stryker's coverage instrumentation adds more (round 23).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
