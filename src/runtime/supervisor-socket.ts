/**
 * The supervisor's socket actor: the socket chart (machines/socket.machine.ts) provided with its
 * effects on the supervisor's links (spawnPeers, closePeer, tellLinks, tellPeers), and its edges
 * (up / down, degraded / recovered, a group's) relayed to the supervisor's and the groups'
 * listeners. Both run after the socket's step, never inside it (`defer`).
 */
import { type AnyActorRef, createActor } from 'xstate';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { stepMachine } from '../stepper/stepped-machine.js';
import type { Clock } from '../util/clock.js';
import type { Emitter } from '../util/emitter.js';
import { guardedClock } from './guarded-clock.js';
import type { Link } from './link.js';
import type { LinkGroup } from './link-group.js';
import type { SupervisorEvents, SupervisorOptions } from './supervisor-types.js';

/** What one supervisor's socket actor acts on: its links, and how it defers an effect and starts links. */
interface SocketEffects {
  links: ReadonlyMap<string, Link>;
  defer: (effect: () => void) => void;
  startLinks: (inputs: readonly ConnectionInput[]) => void;
}

/** Each supervisor's effects, by its socket actor (the `self` of the chart's actions). */
const effectsBySocket = new WeakMap<AnyActorRef, SocketEffects>();

/** The socket chart with the runtime's effects, made once in the process and shared by every
 * supervisor (a provided chart is a copy of the chart's state-node tree: BENCHMARKS.md round 20);
 * each action finds its supervisor's links and queue through the actor it runs in. Its actors step
 * through the stepper (../stepper/stepped-machine.ts) as the links do: one socket step a link per
 * drop (`link.unready`), XState's macrostep before (BENCHMARKS.md round 44 (storm); equal to
 * XState's own: test/stepper/stepped-socket.test.ts). */
let providedSocket: ReturnType<typeof provideSocket> | null = null;

function provideSocket() {
  /** Runs `effect` on the supervisor of the socket actor `self` AFTER the socket's step (never
   * inside its custom action: a link reacting synchronously there would run its own actions inside ours). */
  const later = (self: AnyActorRef, effect: (effects: SocketEffects) => void) => {
    const effects = effectsBySocket.get(self);
    effects?.defer(() => effect(effects));
  };
  return stepMachine(
    socketMachine.provide({
      actions: {
        spawnPeers: ({ self }, { inputs }) => later(self, (effects) => effects.startLinks(inputs)),
        closePeer: ({ event, self }) => {
          if (event.type !== 'peer.remove') return;
          const { linkId, code, reason } = event;
          later(self, ({ links }) =>
            links.get(linkId)?.actor.send({
              type: 'link.close',
              ...(code === undefined ? {} : { code }),
              ...(reason === undefined ? {} : { reason }),
            }),
          );
        },
        tellLinks: ({ self }, params) =>
          later(self, ({ links }) => {
            for (const linkId of params.linkIds) {
              const link = links.get(linkId);
              if (link?.attached) link.actor.send(params.event);
            }
          }),
        // Links still waiting for their turn read the reconnect flag when they start.
        tellPeers: ({ self }, params) =>
          later(self, ({ links }) => {
            for (const link of links.values()) {
              if (!link.attached) continue;
              // A terminate is noted on the wire first: the chart hears it after the action it may be running.
              if (params.event.type === 'link.terminate') link.wire.ending = true;
              link.actor.send(params.event);
            }
          }),
      },
    }),
  );
}

/**
 * The socket actor, made (not started) with the supervisor's linger, degraded share, clock and
 * inspection observer. Its effects act on the supervisor's `links`, `groups` and listeners
 * (`emitter`); `defer` runs one after the socket's current step, and `startLinks` makes and starts
 * the links the chart added (its `spawnPeers`).
 */
export function createSocketActor(
  links: ReadonlyMap<string, Link>,
  groups: ReadonlyMap<string, LinkGroup>,
  emitter: Emitter<SupervisorEvents>,
  defer: (effect: () => void) => void,
  startLinks: (inputs: readonly ConnectionInput[]) => void,
  { lingerMs, degradedShare, clock, inspect, end }: SocketOptions,
) {
  providedSocket ??= provideSocket();
  // A clock whose timer throws would break the actor: it cannot count the linger; reported, all end now.
  const timers = guardedClock(clock, 'no linger, every link ended now', (error) =>
    defer(() => {
      emitter.emit('error', error);
      void end();
    }),
  );
  const socket = createActor(providedSocket, {
    id: 'socket',
    input: {
      ...(lingerMs === undefined ? {} : { lingerMs }),
      ...(degradedShare === undefined ? {} : { degradedShare }),
    },
    clock: timers,
    ...(inspect ? { inspect } : {}),
  });
  effectsBySocket.set(socket, { links, defer, startLinks });
  // Edges reach listeners after the socket's step, never inside it: a listener may call
  // close() or connect() and must find the socket between steps.
  socket.on('socket.up', () => defer(() => emitter.emit('up', undefined)));
  socket.on('socket.down', () => defer(() => emitter.emit('down', undefined)));
  socket.on('group.up', ({ group }) => defer(() => groups.get(group)?.edge('up')));
  socket.on('group.down', ({ group }) => defer(() => groups.get(group)?.edge('down')));
  socket.on('socket.degraded', () => defer(() => emitter.emit('degraded', undefined)));
  socket.on('socket.recovered', () => defer(() => emitter.emit('recovered', undefined)));
  socket.on('group.restart', ({ group, cause, members }) =>
    defer(() => groups.get(group)?.restarted(cause, members)),
  );
  socket.on('group.degraded', ({ group }) => defer(() => groups.get(group)?.edge('degraded')));
  socket.on('group.recovered', ({ group }) => defer(() => groups.get(group)?.edge('recovered')));
  return socket;
}

/** The supervisor's options the socket actor is made with. */
export interface SocketOptions extends Pick<SupervisorOptions, 'lingerMs' | 'degradedShare' | 'inspect'> {
  clock: Clock;
  /** Ends every link at once (terminate()): what a clock that cannot count the linger leaves. */
  end: () => Promise<void>;
}

/** The supervisor's socket actor. */
export type SocketActor = ReturnType<typeof createSocketActor>;
