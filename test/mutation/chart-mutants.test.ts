/**
 * The connection chart's config files can be mutated: Stryker's instrumenter skips the whole
 * expression under a type assertion (`{ … } as const` is a `TSAsExpression`, a "type node" to it),
 * so a chart written as `… as const` has no mutants at all and its mutation score is a vacuous
 * 100 % (round 46: `connectionConfig`'s `as const` took connection.machine.ts from 241 mutants to
 * 2, connection-feature-states.ts had 0). Literal types come from `const` type parameters instead
 * (uniformTransitions, featureSlots). This counts the mutants Stryker would make, with its own
 * instrumenter, without running them (npm run test:mutation runs them). Not in Stryker's test set
 * (test/mutation/vitest.config.ts): in its sandbox the files are already instrumented.
 */
import { readFileSync } from 'node:fs';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { describe, expect, it } from 'vitest';

const quiet = () => false;
const logger = {
  isTraceEnabled: quiet,
  isDebugEnabled: quiet,
  isInfoEnabled: quiet,
  isWarnEnabled: quiet,
  isErrorEnabled: quiet,
  isFatalEnabled: quiet,
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
};

async function mutantsOf(file: string): Promise<number> {
  const content = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  // biome-ignore lint/suspicious/noExplicitAny: the instrumenter's logger and plugin types are internal
  const instrumenter = new Instrumenter(logger as any);
  const result = await instrumenter.instrument([{ name: file, content, mutate: true }], {
    plugins: null,
    excludedMutations: [],
    ignorers: [],
    noHeader: false,
  });
  return result.mutants.length;
}

describe('the connection chart is visible to Stryker (no `as const` over a chart config)', () => {
  // Lower bounds well under the counts (machine 241 on round 45, feature states ~60): a config
  // hidden by a type assertion drops to a handful.
  it.each([
    ['machines/connection.machine.ts', 150],
    ['machines/connection-feature-states.ts', 40],
    // Its shared transitions, written with `literal` since round 47 (3 mutants under `as const`).
    ['machines/connection-transitions.ts', 120],
  ])('%s has at least %i mutants', async (file, least) => {
    expect(await mutantsOf(file)).toBeGreaterThanOrEqual(least);
  });
});
