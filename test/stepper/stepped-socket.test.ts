/**
 * A stepped socket chart (src/stepper/stepped-machine.ts, as src/runtime/supervisor-socket.ts
 * steps the supervisor's socket actor since round 44) is, end to end, the chart XState steps. Two
 * actors — the socket chart as XState steps it, and the same chart stepped — are fed the same
 * seeded random walks over the chart's whole event alphabet (peers joining and leaving, every
 * link report for three peers, two of them in a group of each strategy, the reconnect switch,
 * network signals, groups added and removed, close, terminate, and the linger timer firing), and
 * after every event the test asserts, as test/stepper/stepped-actor.test.ts does for the
 * connection chart: equal snapshots (every field, key order, `_nodes`, tags, the shared
 * functions), the same inspection events in the same order (microsteps with their `_transitions`,
 * actions with type and params), the same emitted events, and the same timers pending in the
 * actor's system scheduler. The walks must take every state and transition of the socket chart
 * (ChartCoverage on the stepped actor), and no step but each actor's stop may be handed to XState.
 */
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, type InspectionEvent } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { GroupStrategy } from '../../machines/policy/group.js';
import { type SocketEvent, socketMachine } from '../../machines/socket.machine.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { TestClock } from '../../src/testing/test-clock.js';

// biome-ignore lint/suspicious/noExplicitAny: XState snapshots and inspection events (internals).
type Any = any;

const LINGER_MS = 3_001;
const stepped = stepMachine(socketMachine.provide({}));

/** A snapshot as compared: every field, in order; node and actor refs by id. */
function shownSnapshot(s: Any, logic: unknown) {
  if (!s || typeof s !== 'object' || !('_nodes' in s)) return s;
  expect(s.machine).toBe(logic);
  return {
    keys: Object.keys(s),
    status: s.status,
    output: s.output,
    error: s.error,
    context: s.context,
    nodes: s._nodes.map((n: Any) => n.id),
    value: s.value,
    tags: [...s.tags],
    children: Object.keys(s.children),
    historyValue: s.historyValue,
    functions: [s.matches, s.hasTag, s.can, s.getMeta, s.toJSON],
    json: JSON.stringify(s),
  };
}

const ref = (r: Any, self: AnyActorRef) => (r === self ? 'self' : (r?.id ?? r));

/** An inspection event as compared (the actor itself as 'self'). */
function shownEvent(e: Any, self: AnyActorRef, logic: unknown) {
  const out: Any = { type: e.type, actorRef: ref(e.actorRef, self) };
  if ('sourceRef' in e) out.sourceRef = ref(e.sourceRef, self);
  if ('event' in e) out.event = e.event;
  if ('snapshot' in e) out.snapshot = shownSnapshot(e.snapshot, logic);
  if ('action' in e) out.action = e.action;
  if ('_transitions' in e)
    out.transitions = e._transitions.map((t: Any) => ({
      source: t.source.id,
      targets: t.target?.map((n: Any) => n.id),
      event: t.eventType,
      reenter: t.reenter,
    }));
  return out;
}

/** One actor of `logic` on its own clock, recording what it shows. */
function actorOf(logic: Any, input: unknown, observe?: (e: InspectionEvent) => void) {
  const clock = new TestClock();
  const seen: Any[] = [];
  const emitted: Any[] = [];
  const pending: Any[] = [];
  const inspect = (e: InspectionEvent) => {
    pending.push(e);
    observe?.(e);
  };
  const actor: Any = createActor(logic, { input, clock, inspect });
  actor.on('*', (e: Any) => emitted.push(e));
  actor.start();
  const take = () => {
    for (const e of pending.splice(0)) seen.push(shownEvent(e, actor, logic));
    const timers = Object.values(actor.system.getSnapshot()._scheduledEvents).map((t: Any) => ({
      event: t.event,
      delay: t.delay,
      id: t.id,
      target: ref(t.target, actor),
    }));
    return {
      snapshot: shownSnapshot(actor.getSnapshot(), logic),
      inspected: seen.splice(0),
      emitted: emitted.splice(0),
      timers,
    };
  };
  return { actor, clock, take };
}

/** A small seeded PRNG (mulberry32): the walks are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEERS = ['link:a', 'link:g/0', 'link:g/1'] as const;
const STRATEGIES: GroupStrategy[] = ['one-for-one', 'one-for-all', 'rest-for-one'];
const NETWORK: Reason = { kind: 'close', code: 1006, message: 'closed with code 1006' };
const GROUP: Reason = { kind: 'group', message: 'restarted with its group' };

/** One event of the alphabet, or 'linger' (the clock runs past every pending timer). */
function nextEvent(random: () => number): SocketEvent | 'linger' {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const linkId = pick(PEERS);
  const kind = Math.floor(random() * 24);
  switch (kind) {
    case 0:
    case 1:
      return { type: 'peer.add', inputs: [{ linkId, label: 'mem://m' }] as never };
    case 2:
      return random() < 0.5
        ? { type: 'peer.remove', linkId }
        : { type: 'peer.remove', linkId, code: 4000, reason: 'bye' };
    case 3:
      return { type: random() < 0.5 ? 'reconnect.disable' : 'reconnect.enable' };
    case 4:
      return { type: pick(['network.offline', 'network.online', 'network.wake'] as const) };
    case 5:
      return { type: 'group.add', group: 'g', strategy: pick(STRATEGIES), size: 2 };
    case 6:
      return { type: 'group.remove', group: 'g' };
    case 7:
      return random() < 0.6 ? { type: 'socket.close' } : { type: 'socket.terminate' };
    case 8:
      return 'linger';
    case 9:
    case 10:
    case 11:
      return { type: 'link.ready', linkId, readyCount: 1 };
    case 12:
    case 13:
      return { type: 'link.unready', linkId };
    case 14:
      return { type: 'link.sick', linkId };
    case 15:
      return { type: 'link.healed', linkId };
    case 16:
    case 17:
      return { type: 'link.lost', linkId, reason: random() < 0.7 ? NETWORK : GROUP };
    case 18:
      return { type: 'link.failed', linkId, reason: NETWORK };
    case 19:
      return { type: 'link.closed', linkId, reason: null };
    case 20:
      return { type: 'link.reconnecting', linkId, attempt: 1, delayMs: 5, reason: NETWORK };
    case 21:
      return { type: 'link.escalated', linkId, escalation: 1, delayMs: 5, reason: NETWORK };
    case 22:
      return { type: 'link.resumed', linkId, replayedIn: 0, replayedOut: 0 };
    default:
      return { type: 'link.reset', linkId, reason: 'gap' };
  }
}

describe('a stepped socket chart: the same actor as XState steps, end to end', () => {
  const coverage = new ChartCoverage([socketMachine]);
  let events = 0;
  const WALKS = 1_500;
  const LENGTH = 40;
  it(`${WALKS} seeded random walks of ${LENGTH} events over the whole alphabet`, async () => {
    for (let walk = 0; walk < WALKS; walk++) {
      const random = prng(walk + 1);
      const input = {
        lingerMs: LINGER_MS,
        ...(random() < 0.2 ? { reconnectEnabled: false } : {}),
        ...(random() < 0.5 ? { degradedShare: random() < 0.5 ? 0 : 0.5 } : {}),
      };
      const plain = actorOf(socketMachine, input);
      const mine = actorOf(stepped, input, coverage.observer);
      expect(mine.take()).toEqual(plain.take());
      for (let i = 0; i < LENGTH && plain.actor.getSnapshot().status === 'active'; i++) {
        const event = nextEvent(random);
        if (event === 'linger') {
          await plain.clock.advance(LINGER_MS);
          await mine.clock.advance(LINGER_MS);
        } else {
          plain.actor.send(event);
          mine.actor.send(event);
        }
        const where = `walk ${walk}, event ${i}: ${event === 'linger' ? event : event.type}`;
        expect({ where, ...mine.take() }).toEqual({ where, ...plain.take() });
        events++;
      }
      plain.actor.stop();
      mine.actor.stop();
      expect({ end: walk, ...mine.take() }).toEqual({ end: walk, ...plain.take() });
    }
  }, 600_000);
  it('took every state and transition of the chart, and every step itself (no fallback to XState)', () => {
    const stats = stepperStats(stepped);
    console.log(
      `stepped-socket: ${events} events, ${stats?.steps} steps stepped, ${stats?.fallbacks} fallbacks`,
      coverage.summary(),
    );
    expect(events).toBeGreaterThan(10_000);
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
    // Only the stop of each walk's actor (`xstate.stop`) is XState's.
    expect([...(stats?.reasons.keys() ?? [])]).toEqual(['xstate.stop']);
  });
});
