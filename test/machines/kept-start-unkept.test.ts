/**
 * The start given by `startUnkeptWith` (machines/kept-start.ts; the runtime gives its stepped start,
 * src/stepper/stepped-machine.ts): asked only for a later link of a policy whose start is not kept,
 * with that link's scope, input and context; what it returns is the link's start, and when it
 * returns nothing the link starts as XState starts it. Never asked for a kept policy's links.
 */
import { describe, expect, it } from 'vitest';
import { type AnyActorScope, assign, createActor, setup } from 'xstate';
import { startUnkeptWith } from '../../machines/kept-start.js';
import { startedChart } from '../../machines/started-chart.js';

const POLICY = Object.freeze({ delayMs: 10 });

/** A toy link chart whose start into `attempt.connecting` assigns (not kept) or does not (kept). */
function toy(assigns: boolean) {
  return setup({}).createMachine({
    id: 'toy',
    context: ({ input }: { input?: { n?: number } }) => ({ policy: POLICY, n: input?.n ?? 0, seen: 0 }),
    initial: 'idle',
    states: {
      idle: {},
      attempt: {
        initial: 'connecting',
        states: {
          connecting: assigns ? { entry: assign({ seen: ({ context }) => context.n * 10 }) } : {},
        },
      },
    },
  });
}

interface Asked {
  input: unknown;
  context: object;
  self: unknown;
}

describe('startUnkeptWith', () => {
  it('is asked for the later links of a policy not kept, with their own input and context', () => {
    const started = startedChart(toy(true), 'connecting');
    const asked: Asked[] = [];
    startUnkeptWith(started, (scope: AnyActorScope, input, context) => {
      asked.push({ input, context, self: scope.self });
      return undefined;
    });
    // The policy's first link is XState's start, which judges the policy: not asked.
    const first = createActor(started, { input: { n: 1 } });
    expect(asked).toHaveLength(0);
    expect(first.getSnapshot().context).toEqual({ policy: POLICY, n: 1, seen: 10 });
    const second = createActor(started, { input: { n: 2 } });
    expect(asked).toEqual([{ input: { n: 2 }, context: { policy: POLICY, n: 2, seen: 0 }, self: second }]);
    // Nothing returned: the link starts as XState starts it.
    expect(second.getSnapshot().value).toEqual({ attempt: 'connecting' });
    expect(second.getSnapshot().context).toEqual({ policy: POLICY, n: 2, seen: 20 });
  });

  it('what it returns is the link’s start', () => {
    const started = startedChart(toy(true), 'connecting');
    createActor(started, { input: { n: 1 } });
    const made = createActor(started, { input: { n: 5 } }).getSnapshot();
    startUnkeptWith(started, () => made);
    expect(createActor(started, { input: { n: 7 } }).getSnapshot()).toBe(made);
  });

  it('is never asked for a kept policy’s links', () => {
    const started = startedChart(toy(false), 'connecting');
    let asked = 0;
    startUnkeptWith(started, () => {
      asked++;
      return undefined;
    });
    const links = [1, 2, 3].map((n) => createActor(started, { input: { n } }));
    expect(asked).toBe(0);
    expect(links.map((link) => link.getSnapshot().context.n)).toEqual([1, 2, 3]);
  });
});
