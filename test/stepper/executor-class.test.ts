/**
 * One executor class for every stepped machine (src/stepper/step-executor.ts): the executors of
 * two machines share V8's hidden class after steps with builtins. Each `stepMachine` call made a
 * class of its own before; the optimised `drain` they share met a new class when another machine
 * first handed on a builtin (the socket chart's, in a process's first drop) and was thrown away
 * ("wrong map") and compiled again (BENCHMARKS.md round 48 (drop step)). Not a timing: V8's own
 * answer (`%HaveSameMap`) in a child process (./fixtures/executor-class-child.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNativesChild } from '../helpers/natives-child.js';

const CHILD = fileURLToPath(new URL('./fixtures/executor-class-child.ts', import.meta.url));

describe('the executors of stepped machines', () => {
  it('of two machines share one hidden class after steps with builtins', { timeout: 120_000 }, async () => {
    expect(await runNativesChild(CHILD)).toEqual({ machines: ['first', 'second'], sameClass: true });
  });
});
