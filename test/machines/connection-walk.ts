/**
 * A pure walk through the connection chart for the tests of test/machines: `Walk` reads the actions
 * `initialTransition` / `transition` return the way an actor would (`xstate.raise` with a `delay`
 * schedules a timer, `xstate.cancel` removes it; `fire(name)` delivers a scheduled timer's event),
 * with the inputs and the ready links those tests start from, the check of a timeout's grace turn
 * (`expectGraceTurn`) and the chart with a user's hook (`withHook`). No actor runs and no timer exists.
 */
import { expect } from 'vitest';
import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import {
  type ConnectionContext,
  type ConnectionEmitted,
  type ConnectionEvent,
  type ConnectionInput,
  connectionMachine,
  linkStateName,
  retryGuards,
  type ShouldReconnect,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { IO_TURN_MS } from '../../machines/policy/timeouts.js';

export type Machine = typeof connectionMachine;
export type Snapshot = SnapshotFrom<Machine>;

interface ActionLike {
  type: string;
  params?: unknown;
}

interface Timer {
  /** The named delay, e.g. `reconnectDelay`. */
  name: string;
  id: string;
  delay: number;
  event: { type: string };
}

/** The transport's commands by the chart's action that gives them (drainAndClose: its params). */
const TRANSPORT_COMMANDS: Record<string, string> = {
  flushQueue: 'transport.flush',
  sendPing: 'transport.ping',
  // Reading paused: a ping no pong is awaited for (the runtime's wire writes it, LinkWire.probe).
  sendProbe: 'transport.probe',
  startHandshake: 'transport.handshake',
  startResume: 'transport.resume',
  sendAck: 'transport.ack',
};

/** The delay name in a delayed raise's id: `xstate.after.<name>.<state id>`, or the id itself
 * for a timer the chart raises by hand (the ack timer, `ackDelay`). */
function delayNameOf(id: string): string {
  return id.startsWith('xstate.after.') ? (id.split('.')[2] ?? '') : id;
}

export const RESET_1006: Reason = {
  kind: 'close',
  code: 1006,
  message: 'closed with code 1006: connection reset',
};
export const POLICY_1008: Reason = { kind: 'close', code: 1008, message: 'closed with code 1008: policy' };

/** Distinct numbers, so that each delay can only come from its own option. */
export const TIMING = {
  timeouts: { connectTimeoutMs: 1_111, handshakeTimeoutMs: 2_222, closeTimeoutMs: 3_333 },
  backoff: { stableAfterMs: 4_444 },
  heartbeat: { intervalMs: 5_555, timeoutMs: 6_666 },
} as const;

export function input(overrides: Partial<ConnectionInput> = {}): ConnectionInput {
  return {
    linkId: 'link:test',
    label: 'mem://svc',
    seed: 1,
    timeouts: { ...TIMING.timeouts },
    heartbeat: { ...TIMING.heartbeat },
    ...overrides,
    backoff: { ...TIMING.backoff, ...overrides.backoff },
  };
}

/** Walks the chart purely, keeping track of the timers its actions schedule and cancel. */
export class Walk {
  snapshot: Snapshot;
  actions: ActionLike[];
  /** Everything emitted since the walk began, in order. */
  readonly emitted: ConnectionEmitted[] = [];
  readonly timers = new Map<string, Timer>();
  /** Transports opened and not closed yet: the socket of the attempt, if any. */
  liveTransports = 0;

  constructor(
    init: Partial<ConnectionInput> = {},
    readonly machine: Machine = connectionMachine,
  ) {
    const [snapshot, actions] = initialTransition(machine, input(init));
    this.snapshot = snapshot;
    this.actions = actions as ActionLike[];
    this.record();
  }

  send(event: ConnectionEvent): this {
    const [snapshot, actions] = transition(this.machine, this.snapshot, event);
    this.snapshot = snapshot;
    this.actions = actions as ActionLike[];
    this.record();
    return this;
  }

  /** Delivers the event of the scheduled timer `name` (it must be scheduled). */
  fire(name: string): this {
    const timer = [...this.timers.values()].find((t) => t.name === name);
    if (!timer)
      throw new Error(`no '${name}' timer is scheduled; scheduled: ${this.timerNames().join(', ')}`);
    this.timers.delete(timer.id);
    return this.send(timer.event as unknown as ConnectionEvent);
  }

  /** Lets the quiet interval of ready run out (its one timer, split or not by the stable wait)
   * until the link pings: ends in awaitingPong. */
  ping(): this {
    for (const name of ['stableAfter', 'heartbeatRest', 'heartbeatInterval']) {
      if (this.timerNames().includes(name)) this.fire(name);
      if (this.snapshot.matches({ attempt: { ready: 'awaitingPong' } })) return this;
    }
    throw new Error(`no quiet timer led to a ping; scheduled: ${this.timerNames().join(', ')}`);
  }

  get context(): ConnectionContext {
    return this.snapshot.context;
  }

  get state(): string {
    return linkStateName(this.snapshot.value);
  }

  timerNames(): string[] {
    return [...this.timers.values()].map((t) => t.name).sort();
  }

  delayOf(name: string): number | undefined {
    return [...this.timers.values()].find((t) => t.name === name)?.delay;
  }

  /** The events emitted by the last step. */
  lastEmitted(): ConnectionEmitted[] {
    return this.actions.filter((a) => a.type === 'xstate.emit').map((a) => emittedOf(a));
  }

  /** The commands the last step gave the transport (its named actions, in order). */
  sentToTransport(): { type: string; [key: string]: unknown }[] {
    return this.actions.flatMap((a) => {
      if (a.type === 'drainAndClose') return [a.params as { type: string }];
      const command = TRANSPORT_COMMANDS[a.type];
      return command ? [{ type: command }] : [];
    });
  }

  /** Whether the last step opened (`openTransport`) or closed (`closeTransport`) the transport. */
  did(action: 'openTransport' | 'closeTransport'): boolean {
    return this.actions.some((a) => a.type === action);
  }

  private record(): void {
    for (const action of this.actions) {
      if (action.type === 'xstate.raise') {
        const p = action.params as { id?: string; delay?: unknown; event: { type: string } };
        if (p.delay !== undefined && p.id) {
          this.timers.set(p.id, {
            name: delayNameOf(p.id),
            id: p.id,
            delay: p.delay as number,
            event: p.event,
          });
        }
      } else if (action.type === 'xstate.cancel') {
        this.timers.delete((action.params as { sendId: string }).sendId);
      } else if (action.type === 'xstate.emit') {
        this.emitted.push(emittedOf(action));
      } else if (action.type === 'openTransport') {
        this.liveTransports++;
      } else if (action.type === 'closeTransport') {
        this.liveTransports--;
      }
    }
    // A finished actor runs no timer.
    if (this.snapshot.status !== 'active') this.timers.clear();
  }
}

function emittedOf(action: ActionLike): ConnectionEmitted {
  return (action.params as { event: ConnectionEmitted }).event;
}

/** connecting → ready (no handshake). */
export function readyWalk(init: Partial<ConnectionInput> = {}, machine?: Machine): Walk {
  return new Walk(init, machine).send({ type: 'transport.open' });
}

/** Ready with a peer that has answered one ping (pongSeen). */
export function answeredWalk(init: Partial<ConnectionInput> = {}): Walk {
  const walk = readyWalk(init).ping();
  walk.send({ type: 'heartbeat.pong', rttMs: 12, proof: 'pong' });
  expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
  expect(walk.context.pongSeen).toBe(true);
  return walk;
}

/**
 * A timeout of the attempt's phase `phase` has fired: the link is in its grace state `grace` (one
 * I/O turn for an answer read late), still reported as `phase` and pending, with only the turn's
 * timer; nothing started again (no handshake or hello), the socket not closed, nothing announced.
 */
export function expectGraceTurn(walk: Walk, grace: string, phase: string): void {
  expect(walk.snapshot.value).toEqual({ attempt: grace });
  expect(walk.state).toBe(phase);
  expect(walk.snapshot.hasTag('pending')).toBe(true);
  expect(walk.timerNames()).toEqual(['ioTurn']);
  expect(walk.delayOf('ioTurn')).toBe(IO_TURN_MS);
  expect(walk.sentToTransport()).toEqual([]);
  expect(walk.did('closeTransport')).toBe(false);
  expect(walk.lastEmitted()).toEqual([]);
}

/** The connection chart with the user's `shouldReconnect` hook `hook` for every link. */
export function withHook(hook: ShouldReconnect): Machine {
  return connectionMachine.provide({ guards: retryGuards(() => hook) });
}
