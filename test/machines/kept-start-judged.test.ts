/**
 * What a started chart keeps (machines/kept-start.ts), on toy charts: a start a replay could not be
 * (more than one microstep, an assign, a child, another kind of action, a final state, a context
 * with no policy) is XState's for every link of its policy, and only of its policy; the chart's
 * config (its context factory) is left as XState made it.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, assign, createActor, emit, fromPromise, raise, setup } from 'xstate';
import { startedChart } from '../../machines/started-chart.js';
import { start } from './kept-start-view.js';

/** A toy link chart: a shared policy in its context, `attempt.connecting` with `connecting`'s
 * config and the given implementations. */
function toy(
  connecting: object,
  implementations: object = {},
  context: unknown = () => ({ policy: POLICY }),
) {
  return setup(implementations as never).createMachine({
    id: 'toy',
    context: context as never,
    initial: 'idle',
    states: {
      idle: {},
      attempt: {
        initial: 'connecting',
        states: { connecting: connecting as never, done: { type: 'final' } },
      },
    },
  });
}

const POLICY = Object.freeze({ delayMs: 10 });

/** Whether `machine`'s links after the first share its start (kept), and that a later link's
 * start is XState's own in all it shows. */
function keeps(machine: AnyStateMachine, input: object = {}): boolean {
  const started = startedChart(machine, 'connecting');
  const first = start(started, input);
  const later = start(started, input);
  const own = start(startedChart(machine, 'connecting'), input);
  expect(later.view()).toEqual(own.view());
  return later.created.tags === first.created.tags;
}

describe('a start that a replay could not be is XState’s', () => {
  it('keeps a start of chart actions without params and delayed raises', () => {
    const ran: string[] = [];
    const actions = {
      open: ({
        context,
        event,
      }: {
        context: { n?: number };
        event: { type: string; input?: { n: number } };
      }) => ran.push(`open ${context.n} ${event.type} ${event.input?.n}`),
    };
    const numbered = ({ input }: { input?: { n: number } }) => ({ policy: POLICY, n: input?.n });
    expect(keeps(toy({ entry: 'open', after: { 10: 'done' } }, { actions }, numbered), { n: 1 })).toBe(true);
    expect(keeps(toy({ entry: 'open' }, { actions }))).toBe(true);
    // Each link's own context, to its own actions.
    ran.length = 0;
    const started = startedChart(toy({ entry: 'open' }, { actions }, numbered), 'connecting');
    const links = [1, 2, 3].map((n) => start(started, { n }));
    expect(ran).toEqual(['open 1 xstate.init 1', 'open 2 xstate.init 2', 'open 3 xstate.init 3']);
    expect(links[2]?.created.tags).toBe(links[0]?.created.tags);
    // A context made anew each time (not of its input alone) is never the one the start made:
    // not kept, and each link's context is XState's own making of it.
    let n = 0;
    const counted = startedChart(
      toy({}, {}, () => ({ policy: POLICY, n: n++ })),
      'connecting',
    );
    const snapshots = [0, 1, 2].map(() => createActor(counted).getSnapshot());
    expect(snapshots.map((snapshot) => snapshot.context.n)).toEqual([1, 3, 5]);
    expect(snapshots[2]?.tags).not.toBe(snapshots[1]?.tags);
  });

  it('not a chart action with params, nor a builtin action other than a delayed raise', () => {
    const actions = { open: () => {} };
    expect(keeps(toy({ entry: { type: 'open', params: { to: 1 } } }, { actions }))).toBe(false);
    expect(keeps(toy({ entry: emit({ type: 'started' }) }))).toBe(false);
    // An inline function is no chart action (its exec is not the implementation of its type).
    expect(keeps(toy({ entry: () => {} }))).toBe(false);
  });

  it('not a start of more than one microstep: an eventless step, a raised event', () => {
    expect(keeps(toy({ always: 'done' }))).toBe(false);
    expect(keeps(toy({ entry: raise({ type: 'next' }) }))).toBe(false);
    expect(keeps(toy({ entry: raise({ type: 'next' }, { delay: 5 }) }))).toBe(true);
    // An action with no implementation is none of the chart's, whatever its params.
    expect(keeps(toy({ entry: { type: 'other', params: { delay: 5 } } }))).toBe(false);
    // An action that only bears the raise's name is no raise.
    expect(keeps(toy({ entry: 'xstate.raise' }))).toBe(false);
    expect(keeps(toy({ entry: { type: 'xstate.raise', params: { delay: 'soon' } } }))).toBe(false);
  });

  it('not a start that changes the context (an assign) or spawns a child, nor one that ends', () => {
    expect(keeps(toy({ entry: assign({ policy: POLICY }) }))).toBe(true);
    // The same data is the same context; other data is not.
    expect(keeps(toy({ entry: assign({ policy: { delayMs: 10 } }) }))).toBe(true);
    expect(keeps(toy({ entry: assign({ policy: { delayMs: 11 } }) }))).toBe(false);
    expect(keeps(toy({ entry: assign({ extra: 1 } as never) }))).toBe(false);
    expect(keeps(toy({}, {}, () => ({ policy: POLICY, nested: { a: 1 } })))).toBe(true);
    expect(
      keeps(
        toy({ entry: assign({ nested: { a: 2 } } as never) }, {}, () => ({
          policy: POLICY,
          nested: { a: 1 },
        })),
      ),
    ).toBe(false);
    expect(
      keeps(
        toy({ entry: assign({ nested: { b: 1 } } as never) }, {}, () => ({
          policy: POLICY,
          nested: { a: 1 },
        })),
      ),
    ).toBe(false);
    // Another key holding the same (nothing): not the context the factory made.
    const unset = () => ({ policy: POLICY, nested: { a: undefined } });
    expect(keeps(toy({ entry: assign({ nested: { b: undefined } } as never) }, {}, unset))).toBe(false);
    expect(keeps(toy({ entry: assign({ nested: { a: undefined } } as never) }, {}, unset))).toBe(true);
    expect(keeps(toy({ entry: assign({ nested: {} } as never) }, {}, unset))).toBe(false);
    // A class instance is data only as the same reference (and never the same as a plain object):
    // one the factory makes anew is never the one XState's start made.
    const made = () => ({ policy: POLICY, at: new Date(0) });
    expect(keeps(toy({}, {}, made))).toBe(false);
    const one = new Date(0);
    expect(keeps(toy({}, {}, () => ({ policy: POLICY, at: one })))).toBe(true);
    expect(keeps(toy({ entry: assign({ at: new Date(0) } as never) }, {}, made))).toBe(false);
    expect(keeps(toy({ entry: assign({ at: {} } as never) }, {}, made))).toBe(false);
    const child = fromPromise(() => new Promise<void>(() => {}));
    expect(keeps(toy({ invoke: { src: 'child' } }, { actors: { child } }))).toBe(false);
    expect(keeps(toy({ type: 'final' }))).toBe(false);
  });

  it('a start that fails is XState’s error snapshot, and its policy is not kept', () => {
    let calls = 0;
    const failing = startedChart(
      toy(
        { after: { boom: 'done' } },
        {
          delays: {
            boom: () => {
              throw new Error('no delay');
            },
          },
        },
        () => {
          calls++;
          return { policy: POLICY };
        },
      ),
      'connecting',
    );
    const snapshots = [0, 1, 2].map(
      () => createActor(failing).getSnapshot() as { status: string; error?: Error; value?: unknown },
    );
    for (const snapshot of snapshots) {
      expect(snapshot.status).toBe('error');
      expect(snapshot.error?.message).toBe('no delay');
      // XState's own error snapshot: a machine snapshot, with its value.
      expect(snapshot.value).toEqual({ attempt: 'connecting' });
    }
    // Each start made its context twice: once to find its policy, once in XState's start.
    expect(calls).toBe(6);
  });

  it('a policy whose start is not kept leaves the others kept (keeping is per policy)', () => {
    // A policy whose start takes an eventless step (two microsteps) and one whose start does not.
    const SKIPS = Object.freeze({ skip: true });
    const WAITS = Object.freeze({ skip: false });
    const chart = toy(
      {
        always: {
          guard: ({ context }: { context: { policy: { skip: boolean } } }) => context.policy.skip,
          target: 'done',
        },
      },
      {},
      ({ input }: { input: { policy: object } }) => ({ policy: input.policy }),
    );
    const started = startedChart(chart, 'connecting');
    const [skips, skipsAgain] = [0, 1].map(() => start(started, { policy: SKIPS }));
    expect(skipsAgain?.created.tags).not.toBe(skips?.created.tags);
    expect(skipsAgain?.view().value).toEqual({ attempt: 'done' });
    const [waits, waitsAgain] = [0, 1].map(() => start(started, { policy: WAITS }));
    expect(waitsAgain?.created.tags).toBe(waits?.created.tags);
    expect(waitsAgain?.view()).toEqual(start(startedChart(chart, 'connecting'), { policy: WAITS }).view());
    // And the other way round: still nothing kept of the policy whose start cannot be.
    const third = start(started, { policy: SKIPS });
    expect(third.created.tags).not.toBe(skipsAgain?.created.tags);
    expect(third.view()).toEqual(start(startedChart(chart, 'connecting'), { policy: SKIPS }).view());
  });

  it('a policy whose start is not kept makes each later context twice (its policy, XState’s start)', () => {
    let calls = 0;
    const off = startedChart(
      toy({ always: 'done' }, {}, () => {
        calls++;
        return { policy: POLICY };
      }),
      'connecting',
    );
    for (let i = 0; i < 3; i++) createActor(off);
    // The first link four times (its policy; XState's start; the pure start that judged it,
    // getInitialMicrosteps: an actor of the chart, and the start itself), each later one twice.
    // (A wrapper handing XState's start the context made already saved one a link here, a small
    // object of ~40 KB allocated a link, for the coupling the next test pins: taken out.)
    expect(calls).toBe(8);
  });

  it('leaves the chart’s config as XState made it: its context factory is the chart’s own', () => {
    // The Stately inspector sends a started chart's definition (its config, a function by its
    // name) and XState's start and provide() read it: a factory put in its place shows as `''`,
    // and a provided copy would share what it closes over.
    const factory = function linkContext() {
      return { policy: POLICY };
    };
    const started = startedChart(toy({}, {}, factory), 'connecting');
    createActor(started);
    expect(started.config.context).toBe(factory);
    expect(started.provide({}).config.context).toBe(factory);
  });

  it('keeps nothing for a context with no policy object, or a context that is no function', () => {
    expect(keeps(toy({}, {}, () => ({ policy: null })))).toBe(false);
    expect(keeps(toy({}, {}, () => ({ policy: 'shared' })))).toBe(false);
    expect(keeps(toy({}, {}, () => ({})))).toBe(false);
    // A context every actor shares is left to XState as it is (no factory to hand a context over).
    expect(startedChart(toy({}, {}, { policy: POLICY }), 'connecting').config.context).toEqual({
      policy: POLICY,
    });
    expect(keeps(toy({}, {}, { policy: POLICY }))).toBe(false);
    const bare = setup({}).createMachine({
      initial: 'idle',
      states: { idle: {}, attempt: { initial: 'connecting', states: { connecting: {} } } },
    });
    expect(keeps(bare)).toBe(false);
  });

  it('a context factory that makes no object (undefined, null) is XState’s to run: an active start, an empty context', () => {
    for (const made of [undefined, null]) {
      const started = startedChart(
        toy({}, {}, () => made),
        'connecting',
      );
      const own = createActor(setup({}).createMachine(toy({}, {}, () => made).config as never));
      for (let i = 0; i < 2; i++) {
        const link = createActor(started);
        expect(link.getSnapshot().status).toBe(own.getSnapshot().status);
        expect(link.getSnapshot().context).toEqual(own.getSnapshot().context);
      }
    }
  });

  it('a context factory that throws, or spawns, is XState’s to run (its error snapshot, its child)', () => {
    let calls = 0;
    const throwing = () => {
      calls++;
      throw new Error('no context');
    };
    const started = startedChart(toy({}, {}, throwing), 'connecting');
    const actor = createActor(started);
    expect(actor.getSnapshot().status).toBe('error');
    expect((actor.getSnapshot() as { error?: Error }).error?.message).toBe('no context');
    expect(calls).toBe(2);
    const child = fromPromise(() => new Promise<void>(() => {}));
    const spawning = setup({ actors: { child } }).createMachine({
      context: ({ spawn }) => ({ policy: POLICY, child: spawn('child', { id: 'c' }) }),
      initial: 'idle',
      states: { idle: {}, attempt: { initial: 'connecting', states: { connecting: {} } } },
    });
    const twice = startedChart(spawning, 'connecting');
    for (let i = 0; i < 2; i++) {
      const link = createActor(twice).start();
      expect(Object.keys(link.getSnapshot().children)).toEqual(['c']);
      link.stop();
    }
    // Keeping stays on for the chart when one link's context throws.
    const once = startedChart(
      toy({}, {}, ({ input }: { input?: { bad?: boolean } }) => {
        if (input?.bad) throw new Error('bad input');
        return { policy: POLICY };
      }),
      'connecting',
    );
    expect(createActor(once, { input: { bad: true } }).getSnapshot().status).toBe('error');
    const a = createActor(once).getSnapshot();
    expect(createActor(once).getSnapshot().tags).toBe(a.tags);
  });
});
