/**
 * A pure walk through the socket chart for the tests of test/socket/*.pure.test.ts:
 * `initialTransition` / `transition` and the actions they return. No actor runs and no timer exists.
 *
 * The effect actions (`spawnPeers`, `closePeer`, `tellPeers`) are `enqueueActions`
 * that do nothing until src/ provides them; an empty `enqueueActions` resolves to no action at
 * all. So, as the supervisor does, the chart is provided here with plain named actions, which
 * `transition` returns as `{ type, params }` records: the tests read WHICH effect the chart asks
 * for and with what, without running it.
 */
import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import type { GroupStrategy } from '../../machines/policy/group.js';
import {
  type SocketEmitted,
  type SocketEvent,
  type SocketInput,
  socketMachine,
} from '../../machines/socket.machine.js';

const noop = () => {};
export const machine = socketMachine.provide({
  actions: { spawnPeers: noop, closePeer: noop, tellPeers: noop, tellLinks: noop },
});

type Snapshot = SnapshotFrom<typeof machine>;

export interface ActionLike {
  type: string;
  params?: unknown;
}

const EFFECTS = new Set(['spawnPeers', 'closePeer', 'tellPeers', 'tellLinks']);

/** Walks the chart purely, step by step, keeping the actions of the last step. */
export class Walk {
  snapshot: Snapshot;
  actions: ActionLike[];

  constructor(input: SocketInput = {}) {
    const [snapshot, actions] = initialTransition(machine, input);
    this.snapshot = snapshot;
    this.actions = actions as ActionLike[];
  }

  send(event: SocketEvent): this {
    const [snapshot, actions] = transition(machine, this.snapshot, event);
    this.snapshot = snapshot;
    this.actions = actions as ActionLike[];
    return this;
  }

  /** group.add: group `group` of `size` members (`link:<group>/<n>`), one-for-one unless told. */
  group(group: string, size: number, strategy: GroupStrategy = 'one-for-one'): this {
    return this.send({ type: 'group.add', group, strategy, size });
  }

  add(...linkIds: string[]): this {
    return this.send({ type: 'peer.add', inputs: linkIds.map(peerInput) });
  }

  ready(linkId: string): this {
    return this.send({ type: 'link.ready', linkId, readyCount: 1 });
  }

  unready(linkId: string): this {
    return this.send({ type: 'link.unready', linkId });
  }

  closed(linkId: string): this {
    return this.send({ type: 'link.closed', linkId, reason: null });
  }

  get context() {
    return this.snapshot.context;
  }

  /** Events emitted by the last step. */
  emitted(): SocketEmitted[] {
    return this.actions
      .filter((a) => a.type === 'xstate.emit')
      .map((a) => (a.params as { event: SocketEmitted }).event);
  }

  /** The effect actions of the last step, with their params. */
  effects(): ActionLike[] {
    return this.actions
      .filter((a) => EFFECTS.has(a.type))
      .map((a) => (a.params === undefined ? { type: a.type } : { type: a.type, params: a.params }));
  }

  /** Delayed raises scheduled by the last step: `{ name, delay }`. */
  scheduled(): { name: string; delay: unknown }[] {
    return this.actions
      .filter((a) => a.type === 'xstate.raise')
      .map((a) => a.params as { id?: string; delay?: unknown })
      .filter((p) => p.delay !== undefined)
      .map((p) => ({ name: (p.id ?? '').split('.')[2] ?? '', delay: p.delay }));
  }

  /** Timers the last step cancelled (their ids). */
  cancelled(): string[] {
    return this.actions
      .filter((a) => a.type === 'xstate.cancel')
      .map((a) => (a.params as { sendId: string }).sendId);
  }
}

export function peerInput(linkId: string): ConnectionInput {
  return { linkId, label: `mem://${linkId.slice(5)}`, seed: 1 };
}
