/**
 * The stepped executor's one action object at its edges (src/stepper/stepped-machine.ts, Executor),
 * differential against XState's own actor: a custom action that throws mid-step, one that sends to
 * its own actor or stops it, one that makes another actor of the same machine step inside it, and
 * an inspection observer that sends while XState's executor holds the action (it sends
 * `@xstate.action` before it reads the action's exec, info and params).
 */
import { describe, expect, it } from 'vitest';
import { assign, cancel, emit, enqueueActions, raise, sendTo, setup } from 'xstate';
import { stepMachine } from '../../src/stepper/stepped-machine.js';
import { actorOf, stepEach } from './stepped-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: XState actors and inspection events.
type Any = any;

const DELAY_MS = 100;

interface Hooks {
  seen: unknown[];
  mid?: (self: Any) => void;
}

const chart = (hooks: Hooks) =>
  setup({
    types: { context: {} as { n: number }, events: {} as { type: string } },
    actions: {
      note: ({ context, event }, params: { tag: string }) => {
        hooks.seen.push([params.tag, context.n, event.type]);
      },
      mid: ({ self }) => hooks.mid?.(self),
    },
  }).createMachine({
    id: 'edges',
    context: { n: 0 },
    initial: 'a',
    states: {
      a: {
        on: {
          go: {
            target: 'b',
            actions: [
              { type: 'note', params: { tag: 'before' } },
              raise({ type: 'tick' }, { id: 't', delay: DELAY_MS }),
              'mid',
              assign({ n: ({ context }) => context.n + 1 }),
              { type: 'note', params: { tag: 'after' } },
              emit(({ context }) => ({ type: 'went', n: context.n })),
              sendTo(({ self }) => self, { type: 'ping' }, { id: 'p', delay: DELAY_MS }),
              cancel('never'),
            ],
          },
        },
      },
      b: {
        on: {
          again: { actions: [{ type: 'note', params: { tag: 'again' } }, emit({ type: 'again' })] },
          tick: { actions: { type: 'note', params: { tag: 'tick' } } },
          ping: { target: 'a', actions: emit({ type: 'pinged' }) },
        },
      },
    },
  });

const shown = (take: () => unknown) =>
  JSON.parse(
    JSON.stringify(take(), (_key, v) =>
      v instanceof Error
        ? `Error ${v.message}`
        : v && typeof v === 'object' && 'xstate$$type' in v
          ? 'actor'
          : v,
    ),
  );

/** Both actors through the same events; what each shows compared after each. */
async function differential(mid: () => (self: Any) => void, observe?: (e: Any, self: () => Any) => void) {
  const plainHooks: Hooks = { seen: [], mid: mid() };
  const myHooks: Hooks = { seen: [], mid: mid() };
  const ref: { plain?: Any; mine?: Any } = {};
  const plain = actorOf(chart(plainHooks), undefined, (e) => observe?.(e, () => ref.plain));
  const mine = actorOf(stepMachine(chart(myHooks)), undefined, (e) => observe?.(e, () => ref.mine));
  ref.plain = plain.actor;
  ref.mine = mine.actor;
  const errors: unknown[][] = [[], []];
  plain.actor.subscribe({ error: (error: unknown) => errors[0]?.push(error) });
  mine.actor.subscribe({ error: (error: unknown) => errors[1]?.push(error) });
  expect(shown(mine.take)).toEqual(shown(plain.take));
  for (const step of ['go', 'linger', 'go', 'again', 'linger'] as const) {
    await stepEach([plain, mine], step === 'linger' ? step : { type: step }, DELAY_MS);
    expect(shown(mine.take)).toEqual(shown(plain.take));
    expect(myHooks.seen).toEqual(plainHooks.seen);
  }
  expect(errors[1]).toEqual(errors[0]);
  plain.actor.stop();
  mine.actor.stop();
}

describe('the stepped executor at its edges: what XState shows', () => {
  it('a custom action that throws mid-step (the actor errors; the next actor of the machine steps as before)', async () => {
    await differential(() => () => {
      throw new Error('boom');
    });
    // The executor the throw left goes to the next actor of the same machine: it steps as XState's.
    const run = (stepped: boolean) => {
      const hooks: Hooks = { seen: [] };
      const logic = stepped ? stepMachine(chart(hooks)) : chart(hooks);
      const a = actorOf(logic, undefined);
      a.actor.subscribe({ error: () => {} });
      hooks.mid = (self) => {
        if (self === a.actor) throw new Error('boom');
      };
      a.actor.send({ type: 'go' });
      const b = actorOf(logic, undefined);
      b.actor.send({ type: 'go' });
      const views = [shown(a.take), shown(b.take)];
      a.actor.stop();
      b.actor.stop();
      return { views, seen: hooks.seen };
    };
    const theirs = run(false);
    expect(theirs.views[0].snapshot.status).toBe('error');
    expect(theirs.views[1].snapshot.status).toBe('active');
    expect(run(true)).toEqual(theirs);
  });

  it('a custom action that sends to its own actor mid-step (queued by the mailbox)', async () => {
    await differential(() => (self) => self.send({ type: 'again' }));
  });

  it('a custom action that stops its own actor mid-step', async () => {
    await differential(() => (self) => self.stop());
  });

  it('an inspection observer that sends to the actor while XState holds the action', async () => {
    await differential(
      () => () => {},
      (e, self) => {
        if (e.type === '@xstate.action' && e.action.type === 'mid') self()?.send({ type: 'again' });
      },
    );
  });

  it('a custom action that makes another actor of the same machine step inside it (nested executor)', () => {
    const run = (stepped: boolean) => {
      const hooks: Hooks = { seen: [] };
      const logic = stepped ? stepMachine(chart(hooks)) : chart(hooks);
      const b = actorOf(logic, undefined);
      const a = actorOf(logic, undefined);
      hooks.mid = (self) => {
        if (self === a.actor) b.actor.send({ type: 'go' });
      };
      a.actor.send({ type: 'go' });
      a.actor.send({ type: 'again' });
      const shownBoth = [shown(a.take), shown(b.take)];
      a.actor.stop();
      b.actor.stop();
      return { shownBoth, seen: hooks.seen };
    };
    const theirs = run(false);
    expect(theirs.seen.length).toBe(5);
    expect(run(true)).toEqual(theirs);
  });

  it("canary: XState's executor hands inspectors a copy of the action, never the object it was given", () => {
    const inspected: Any[] = [];
    const { actor } = actorOf(stepMachine(chart({ seen: [] })), undefined, (e: Any) => {
      if (e.type === '@xstate.action') inspected.push(e.action);
    });
    const handed = new Set<Any>();
    const scope = actor._actorScope;
    const own = scope.actionExecutor;
    scope.actionExecutor = (action: Any) => {
      handed.add(action);
      own(action);
    };
    actor.send({ type: 'go' });
    expect(handed.size).toBe(1);
    expect(inspected.length).toBeGreaterThan(5);
    // A later XState passing the action itself on would let an inspector keep the shared object.
    for (const a of inspected) expect(handed.has(a)).toBe(false);
    actor.stop();
  });

  it("enqueueActions' `check` kept and called in a later step: the event of its own step, as XState's", () => {
    const keeper = (seen: unknown[]) => {
      let kept: ((guard: Any) => boolean) | undefined;
      return setup({
        actions: {
          use: ({ event }) => {
            seen.push([event.type, kept?.(({ event: its }: Any) => its.type === 'keep')]);
          },
        },
      }).createMachine({
        id: 'keeper',
        initial: 'a',
        states: { a: {} },
        on: {
          keep: {
            actions: enqueueActions(({ check }) => {
              kept = check;
            }),
          },
          use: { actions: 'use' },
        },
      });
    };
    const plainSeen: unknown[] = [];
    const mySeen: unknown[] = [];
    const plain = actorOf(keeper(plainSeen), undefined);
    const mine = actorOf(stepMachine(keeper(mySeen)), undefined);
    for (const type of ['keep', 'use', 'use']) {
      plain.actor.send({ type });
      mine.actor.send({ type });
    }
    expect(plainSeen).toEqual([
      ['use', true],
      ['use', true],
    ]);
    expect(mySeen).toEqual(plainSeen);
    expect(mine.actor.getSnapshot().status).toBe('active');
    plain.actor.stop();
    mine.actor.stop();
  });
});
