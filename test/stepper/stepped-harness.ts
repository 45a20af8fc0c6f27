/**
 * The harness of the stepper's differential tests (./stepped-actor.test.ts for the connection
 * chart, ./stepped-socket.test.ts and ./stepped-socket-effects.test.ts for the socket chart): an
 * actor recording what it shows (snapshot, inspection events, emitted events, pending timers), a
 * seeded PRNG and the socket chart's event alphabet. Not test/socket/socket-walk.ts (the socket
 * chart's pure transitions).
 */
import { expect } from 'vitest';
import { type AnyActorRef, createActor, type InspectionEvent } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { GroupStrategy } from '../../machines/policy/group.js';
import type { SocketEvent } from '../../machines/socket.machine.js';
import { TestClock } from '../../src/testing/test-clock.js';

// biome-ignore lint/suspicious/noExplicitAny: XState snapshots and inspection events (internals).
type Any = any;

export const LINGER_MS = 3_001;

/** A snapshot as compared: every field, in order; node and actor refs by id. */
export function shownSnapshot(s: Any, logic: unknown) {
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
export function shownEvent(e: Any, self: AnyActorRef, logic: unknown) {
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
export function actorOf(logic: Any, input: unknown, observe?: (e: InspectionEvent) => void) {
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

/** One step of a lockstep walk, on each actor in turn: 'linger' runs its clock `lingerMs`, an
 * event is sent to it. */
export async function stepEach(
  actors: readonly { actor: Any; clock: TestClock }[],
  step: { type: string } | 'linger',
  lingerMs: number,
): Promise<void> {
  for (const { actor, clock } of actors) {
    if (step === 'linger') await clock.advance(lingerMs);
    else actor.send(step);
  }
}

/** A small seeded PRNG (mulberry32): the walks are the same on every run. */
export { prng } from '../helpers/seeded.js';

const PEERS = ['link:a', 'link:g/0', 'link:g/1'] as const;
const STRATEGIES: GroupStrategy[] = ['one-for-one', 'one-for-all', 'rest-for-one'];
const NETWORK: Reason = { kind: 'close', code: 1006, message: 'closed with code 1006' };
const GROUP: Reason = { kind: 'group', message: 'restarted with its group' };

/** One event of the alphabet, or 'linger' (the clock runs past every pending timer). */
export function nextEvent(random: () => number): SocketEvent | 'linger' {
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
