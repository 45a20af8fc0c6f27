/**
 * What the stepped actor hands its action executor (src/stepper/stepped-machine.ts, Executor):
 * while the actor runs its own step, one action object and one builtin exec serve every action
 * (XState's executor runs an action's exec before it returns and keeps neither); in `transition()`'s
 * inert scope each action is its own object with its own bound execute, kept and run later. And the
 * resolver's reused lists (nested enqueueActions) and guard loops (and / or / not).
 * Differential: after every event the stepped actor shows what XState's does (snapshot, inspection
 * events with each `@xstate.action`'s type and params, emitted events, pending timers).
 */
import { describe, expect, it } from 'vitest';
import { and, assign, cancel, emit, enqueueActions, not, or, raise, sendTo, setup, transition } from 'xstate';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { actorOf, stepEach } from './stepped-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: XState actors, actions and their scope (internals).
type Any = any;

const DELAY_MS = 100;

const chart = (seen: unknown[] = []) =>
  setup({
    types: { context: {} as { n: number }, events: {} as { type: string; by?: number } },
    actions: {
      note: ({ context, event }, params: { tag: string }) => {
        seen.push([params.tag, context.n, event.type]);
      },
    },
    guards: {
      big: ({ context }) => context.n > 2,
      odd: ({ context }) => context.n % 2 === 1,
    },
  }).createMachine({
    id: 'executor',
    context: { n: 0 },
    initial: 'a',
    states: {
      a: {
        on: {
          go: {
            target: 'b',
            actions: [
              { type: 'note', params: { tag: 'before' } },
              assign({ n: ({ context, event }) => context.n + (event.by ?? 1) }),
              { type: 'note', params: { tag: 'after' } },
              raise({ type: 'tick' }, { id: 't', delay: DELAY_MS }),
              cancel('never'),
              emit(({ context }) => ({ type: 'went', n: context.n })),
              sendTo(({ self }) => self, { type: 'ping' }, { id: 'p', delay: DELAY_MS * 2 }),
              enqueueActions(({ enqueue, check }) => {
                enqueue.emit({ type: 'outer' });
                if (check('odd')) enqueue({ type: 'note', params: { tag: 'odd' } });
                enqueue(
                  enqueueActions(({ enqueue: inner }) => {
                    inner.emit({ type: 'inner' });
                    inner.cancel('t');
                    inner({ type: 'note', params: { tag: 'inner' } });
                  }),
                );
                enqueue.emit({ type: 'outer.end' });
              }),
            ],
          },
        },
      },
      b: {
        on: {
          tick: { actions: { type: 'note', params: { tag: 'tick' } } },
          ping: { actions: emit({ type: 'pinged' }) },
          back: [
            { guard: and(['big', not('odd')]), target: 'a', actions: emit({ type: 'and' }) },
            { guard: or(['big', 'odd']), target: 'a', actions: emit({ type: 'or' }) },
            { target: 'a', actions: emit({ type: 'none' }) },
          ],
        },
      },
    },
  });

type Step = { type: string; by?: number } | 'linger';

const shown = (take: () => unknown) =>
  JSON.parse(
    JSON.stringify(take(), (_key, v) => (v && typeof v === 'object' && 'xstate$$type' in v ? 'actor' : v)),
  );

const walk: Step[] = [
  { type: 'go' },
  'linger',
  { type: 'back' },
  { type: 'go', by: 2 },
  { type: 'back' },
  { type: 'go', by: 1 },
  'linger',
  'linger',
  { type: 'back' },
  { type: 'go', by: 2 },
  { type: 'back' },
];

describe('the stepped executor: what XState shows, one action object while the actor runs', () => {
  it('a walk through custom actions, assigns, delayed raise and sendTo, cancels, emits, nested enqueueActions, and/or/not guards', async () => {
    const plainSeen: unknown[] = [];
    const mySeen: unknown[] = [];
    const stepped = stepMachine(chart(mySeen));
    const plain = actorOf(chart(plainSeen), undefined);
    const mine = actorOf(stepped, undefined);
    expect(shown(mine.take)).toEqual(shown(plain.take));
    for (const step of walk) {
      await stepEach([plain, mine], step, DELAY_MS);
      expect(shown(mine.take)).toEqual(shown(plain.take));
      expect(mySeen).toEqual(plainSeen);
    }
    expect(stepperStats(stepped)?.fallbacks).toBe(0);
    plain.actor.stop();
    mine.actor.stop();
  });

  it("a running actor's step: every action in one object, its fields read at the call, nothing kept after", () => {
    const { actor } = actorOf(stepMachine(chart()), undefined);
    const scope = actor._actorScope;
    const own = scope.actionExecutor;
    const handed: Any[] = [];
    const fields: Any[] = [];
    scope.actionExecutor = (action: Any) => {
      handed.push(action);
      fields.push({
        type: action.type,
        exec: typeof action.exec,
        bound: /^bound /.test(action.exec?.name ?? ''),
      });
      own(action);
    };
    actor.send({ type: 'go' });
    expect(handed.length).toBeGreaterThan(10);
    expect(new Set(handed).size).toBe(1);
    // No bound execute a builtin: the executor's one exec stands for each (the cancel of nothing has none).
    expect(fields.filter((f) => f.bound)).toEqual([]);
    expect(fields.filter((f) => f.exec === 'undefined').map((f) => f.type)).toEqual(['xstate.cancel']);
    const [action] = handed;
    expect([action.info, action.params, action.exec]).toEqual([undefined, undefined, undefined]);
    actor.stop();
  });

  it("transition()'s inert scope: each action its own object with its own bound execute, as XState's", () => {
    const stepped = stepMachine(chart());
    const plainLogic = chart();
    const { actor } = actorOf(stepped, undefined);
    const [, mine] = transition(stepped, actor.getSnapshot(), { type: 'go' });
    const [, theirs] = transition(plainLogic, plainLogic.resolveState({ value: 'a', context: { n: 0 } }), {
      type: 'go',
    });
    const view = (actions: Any[]) =>
      actions.map((a) => ({
        type: a.type,
        params: JSON.parse(JSON.stringify(a.params ?? null, (_k, v) => (v?.xstate$$type ? 'actor' : v))),
        exec: typeof a.exec,
      }));
    expect(view(mine as Any[])).toEqual(view(theirs as Any[]));
    expect(new Set(mine as Any[]).size).toBe((mine as Any[]).length);
    for (const a of mine as Any[])
      if (a.type.startsWith('xstate.') && a.exec) expect(a.exec.name).toMatch(/^bound /);
    actor.stop();
  });
});
