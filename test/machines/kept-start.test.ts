/**
 * A started chart keeps its start per link policy (machines/kept-start.ts): the first link of a
 * policy starts as XState starts it, each later one gets the kept snapshot with its own context and
 * the kept actions through its own actor. What a user, an inspector and the timers see of a later
 * link's start, and of what follows it, is what XState's own start of that link shows; a start a
 * replay could not be (more than one microstep, an assign, a child, another kind of action, a
 * final state, a context with no policy) turns keeping off for its chart.
 */
import { describe, expect, it } from 'vitest';
import {
  type AnyActorRef,
  type AnyStateMachine,
  assign,
  createActor,
  emit,
  fromPromise,
  type InspectionEvent,
  raise,
  setup,
} from 'xstate';
import { type ConnectionInput, connectionMachine } from '../../machines/connection.machine.js';
import { startedChart, startLeafOf } from '../../machines/started-chart.js';
import { TestClock } from '../../src/testing/index.js';

/** The kinds of supervised link whose start differs (leaf, timers), in-process aside. */
const INPUTS: Partial<ConnectionInput>[] = [
  {},
  { perAttempt: true },
  { hasHandshake: true },
  { timeouts: { connectTimeoutMs: 1234 } },
  { heartbeat: { mode: 'off' }, backoff: { maxAttempts: 2 } },
  { resume: { resumeTimeoutMs: 500, ackDelayMs: 20 } },
  { autoConnect: true, intensity: false },
];

/** A link's own parts: two links of one policy differ in all of them. */
const FIRST = { linkId: 'link:a', label: 'ws://a', seed: 1 };
const OTHER = { linkId: 'link:b', label: 'ws://b', seed: 99, reconnectEnabled: false };

/** An actor of `machine` started with `input`, and what is seen of it: the inspection events of
 * its own (action types and params, snapshot events), its announcements, its timers, its snapshot. */
function start(machine: AnyStateMachine, input: unknown, clock = new TestClock()) {
  const seen: string[] = [];
  const emitted: string[] = [];
  let actor: AnyActorRef | undefined;
  actor = createActor(machine, {
    input,
    clock,
    inspect: (event: InspectionEvent) => {
      if (event.actorRef !== actor) return;
      if (event.type === '@xstate.action') seen.push(`action ${JSON.stringify(event.action)}`);
      if (event.type === '@xstate.microstep') seen.push(`microstep ${event.event.type}`);
      if (event.type === '@xstate.snapshot')
        seen.push(`snapshot ${JSON.stringify((event.snapshot as { value?: unknown }).value)}`);
      if (event.type === '@xstate.event') seen.push(`event ${event.event.type}`);
    },
  });
  actor.on('*', (event) => emitted.push(JSON.stringify(event)));
  const created = actor.getSnapshot();
  actor.start();
  const view = () => {
    const snapshot = actor.getSnapshot();
    const scheduled = Object.values(actor.system.getSnapshot()._scheduledEvents).map(
      ({ event, delay, id, source, target }) => ({
        event,
        delay,
        // A raise without an id is scheduled under a random one.
        id: id.startsWith('xstate.') ? id : 'random',
        own: source === actor && target === actor,
      }),
    );
    return {
      value: snapshot.value,
      status: snapshot.status,
      tags: [...snapshot.tags].sort(),
      context: JSON.stringify({ ...snapshot.context, parent: undefined }),
      // Every field of XState's snapshot, in its order: a field a later XState adds is compared too.
      fields: Object.entries(snapshot)
        .filter(([key]) => key !== 'context' && key !== 'children' && key !== 'machine')
        .map(
          ([key, value]) =>
            `${key} ${typeof value === 'function' ? value.name : JSON.stringify(value instanceof Set ? [...value] : value, (k, v) => (k === '_nodes' || k === 'parent' ? undefined : v))}`,
        ),
      nodes: snapshot._nodes.map((node: { id: string }) => node.id),
      machine: snapshot.machine === machine,
      children: Object.keys(snapshot.children),
      scheduled,
      seen: [...seen],
      emitted: [...emitted],
    };
  };
  return { actor, clock, created, view };
}

/** What a link shows at its start and as it goes on: its view, then after each timer fired. */
async function lifeOf(machine: AnyStateMachine, input: unknown) {
  const link = start(machine, input);
  const views = [link.view()];
  for (let i = 0; i < 4; i++) {
    const next = link.clock.nextAt();
    if (next === null) break;
    await link.clock.advance(next - link.clock.now());
    views.push(link.view());
  }
  link.actor.stop();
  return views;
}

describe('a started chart keeps its start per policy', () => {
  it("a later link of a policy starts, and goes on, as XState's own start of it: snapshot, actions, timers, announcements", async () => {
    for (const input of INPUTS) {
      const leaf = startLeafOf(connectionMachine, { ...FIRST, ...input });
      expect(leaf, JSON.stringify(input)).not.toBe('ready');
      const started = startedChart(connectionMachine, leaf ?? 'connecting');
      const first = start(started, { ...FIRST, ...input });
      // The first link's start goes on meanwhile: what it does later is none of the kept start.
      await first.clock.advance(60_000);
      const later = await lifeOf(started, { ...OTHER, ...input });
      // XState's start of the same link: the first of a fresh started chart (which XState starts).
      const own = await lifeOf(startedChart(connectionMachine, leaf ?? 'connecting'), { ...OTHER, ...input });
      expect(later, JSON.stringify(input)).toEqual(own);
      expect(later[0]?.scheduled, JSON.stringify(input)).toMatchObject([{ own: true }]);
      expect(later.length, JSON.stringify(input)).toBeGreaterThan(1);
      // Kept: the later link's snapshot is the first one's (its nodes, value, tags), but for its
      // context and children.
      const again = start(started, { ...OTHER, ...input });
      expect(again.created.tags).toBe(first.created.tags);
      expect(again.created.value).toBe(first.created.value);
      expect(again.created.children).not.toBe(first.created.children);
      expect(again.created.context.linkId).toBe('link:b');
    }
  });

  it('keeps one start a policy: another policy is started by XState, then kept too', async () => {
    const started = startedChart(connectionMachine, 'connecting');
    const a = start(started, FIRST);
    const b = start(started, { ...FIRST, timeouts: { connectTimeoutMs: 777 } });
    expect(b.created.tags).not.toBe(a.created.tags);
    expect(b.view().scheduled).toMatchObject([{ delay: 777 }]);
    const c = start(started, { ...OTHER, timeouts: { connectTimeoutMs: 777 } });
    expect(c.created.tags).toBe(b.created.tags);
    expect(c.view().scheduled).toMatchObject([{ delay: 777, own: true }]);
    expect(start(started, OTHER).created.tags).toBe(a.created.tags);
  });

  it("an in-process link's start (into ready: a report, an announcement, eventless steps) is XState's, every time", async () => {
    const input = { ...FIRST, inProcess: true };
    const started = startedChart(connectionMachine, 'ready');
    const first = start(started, input);
    const later = start(started, { ...OTHER, inProcess: true });
    expect(later.created.tags).not.toBe(first.created.tags);
    // Off for the chart: a policy whose start could be kept is XState's too.
    const third = start(started, { ...OTHER, inProcess: true });
    expect(third.created.tags).not.toBe(later.created.tags);
    expect(later.view()).toEqual(
      start(startedChart(connectionMachine, 'ready'), { ...OTHER, inProcess: true }).view(),
    );
  });
});

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
    // A context made anew each time (not of its input alone) is never the one the start made.
    let n = 0;
    const counted = startedChart(
      toy({}, {}, () => ({ policy: POLICY, n: n++ })),
      'connecting',
    );
    const tags = [0, 1, 2].map(() => createActor(counted).getSnapshot().tags);
    expect(tags[2]).not.toBe(tags[1]);
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
    // A class instance is data only as the same reference (and never the same as a plain object).
    const made = () => ({ policy: POLICY, at: new Date(0) });
    expect(keeps(toy({}, {}, made))).toBe(false);
    expect(keeps(toy({ entry: assign({ at: {} } as never) }, {}, made))).toBe(false);
    const child = fromPromise(() => new Promise<void>(() => {}));
    expect(keeps(toy({ invoke: { src: 'child' } }, { actors: { child } }))).toBe(false);
    expect(keeps(toy({ type: 'final' }))).toBe(false);
  });

  it('a start that fails is XState’s error snapshot, and keeping is off for the chart', () => {
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
    // The first start made its context twice (once to find its policy); the others, off, once each.
    expect(calls).toBe(4);
  });

  it('a chart whose start is not kept makes each later context once (keeping is off)', () => {
    let calls = 0;
    const off = startedChart(
      toy({ always: 'done' }, {}, () => {
        calls++;
        return { policy: POLICY };
      }),
      'connecting',
    );
    for (let i = 0; i < 3; i++) createActor(off);
    // The first: its own start, the one to find its policy, and XState's pure start that judged it
    // (getInitialMicrosteps: an actor of the chart, and the start itself); the others once each.
    expect(calls).toBe(6);
  });

  it('keeps nothing for a context with no policy object, or a context that is no function', () => {
    expect(keeps(toy({}, {}, () => ({ policy: null })))).toBe(false);
    expect(keeps(toy({}, {}, () => ({ policy: 'shared' })))).toBe(false);
    expect(keeps(toy({}, {}, () => ({})))).toBe(false);
    expect(keeps(toy({}, {}, { policy: POLICY }))).toBe(false);
    const bare = setup({}).createMachine({
      initial: 'idle',
      states: { idle: {}, attempt: { initial: 'connecting', states: { connecting: {} } } },
    });
    expect(keeps(bare)).toBe(false);
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
