/**
 * The browser builds' `./stepped-machine.ts`: `stepMachine` is the identity, so a browser link steps
 * with XState's own `transition` and the stepper (src/stepper/) stays out of the bundles. The browser
 * build (scripts/browser-bundles.mjs, `BROWSER_BUILD`, used by `npm run build`, the size budgets and
 * the browser tests) resolves every import of `stepper/stepped-machine` to this file: a page runs few
 * links and its bundle's bytes count, while a Node process runs many links and the stepper's CPU and
 * heap savings count there (BENCHMARKS.md round 43). Same exports, same types as the Node file.
 */
import type { AnyStateMachine } from 'xstate';
import type { StepperStats } from './stepped-machine.js';

export type { StepperStats };

/** Always undefined in the browser builds: no machine is stepped by the stepper there. */
export function stepperStats(_machine: object): StepperStats | undefined {
  return undefined;
}

/** The browser builds' stepMachine: the machine itself (its actors step with XState's own transition). */
export function stepMachine<M extends AnyStateMachine>(machine: M): M {
  return machine;
}
