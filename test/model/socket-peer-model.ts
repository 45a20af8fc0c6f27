/**
 * The model of the socket chart's generated paths (socket.model.test.ts): the socket chart itself
 * (pure `transition`) plus a small abstraction of each peer's lifecycle, so that the generated
 * events are runtime actions with known consequences: "accept a's connection" is `link.ready` from
 * a, "remove a while ready" is `peer.remove` then `link.unready` (a drains), "close the supervisor"
 * is `socket.close` then each link's report in link order. `coveringSocketPaths()` gives paths
 * through every node of the graph (state, switches, peers, incoming edge), as covering walks
 * (src/testing/covering-walks.ts), with every socket state and combination of peer states that is
 * not final at the end of some path.
 */
import { fromTransition, initialTransition, transition } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import { type SocketEvent, socketMachine } from '../../machines/socket.machine.js';
import { coveringWalks } from '../../src/testing/covering-walks.js';
import type { SocketSnapshot } from './socket-model-fixtures.js';

export type PeerState =
  | 'connecting'
  | 'ready'
  | 'reconnecting'
  | 'suspended'
  | 'coolingDown'
  | 'rejoining'
  | 'closing';
export const PEERS = ['a', 'g/0'] as const;
export type PeerId = (typeof PEERS)[number];
export const LINGER_MS = 3001;
export const RETRY_MS: Record<PeerId, number> = { a: 3002, 'g/0': 3003 };
/** Peer `a` escalates on every loss of its ready link (restart intensity, maxRestarts 0): it cools
 * down for COOL_DOWN_MS and is sick until it has been ready for STABLE_MS. `g/0` never escalates. */
export const ESCALATES: PeerId = 'a';
export const COOL_DOWN_MS = 3005;
export const STABLE_MS = 3004;
/** Each peer's `stableAfterMs`: a distinct delay each (TestClock.fire takes a timer by its delay),
 * so that `stable` fires a's, never g/0's (which the model never fires: it never escalates). */
export const STABLE_AFTER_MS: Record<PeerId, number> = { a: STABLE_MS, 'g/0': 3006 };

export interface World {
  socket: SocketSnapshot;
  peers: Partial<Record<PeerId, PeerState>>;
  /** Peers escalated and not stable again. */
  sick: Partial<Record<PeerId, true>>;
}

export type Action =
  | {
      type: 'connect' | 'accept' | 'refuse' | 'drop' | 'retry' | 'remove' | 'closed' | 'coolOff' | 'stable';
      peer: PeerId;
    }
  | { type: 'setReconnect'; enabled: boolean }
  | { type: 'signal'; kind: 'offline' | 'online' | 'wake' }
  /** Every rejoining link's 0 ms rejoin timer fires (their order is the clock's, not the model's). */
  | { type: 'rejoin' }
  | { type: 'close' | 'terminate' | 'linger' };

const linkId = (peer: PeerId) => `link:${peer}`;

function send(world: World, event: SocketEvent): World {
  const [socket] = transition(socketMachine, world.socket, event);
  return { ...world, socket };
}

/** Whether a link that goes down now may attempt: the switch on and the network up. */
function mayAttempt(world: World): boolean {
  return world.socket.context.reconnectEnabled && world.socket.context.online;
}

/** The runtime's consequences of an action, in the order the runtime produces them. */
function apply(world: World, action: Action): World {
  const peers = { ...world.peers };
  const sick = { ...world.sick };
  const report = (
    w: World,
    type: 'link.ready' | 'link.unready' | 'link.closed' | 'link.failed' | 'link.sick' | 'link.healed',
    peer: PeerId,
  ): World => {
    // A sick link that ends reports it is no longer escalated first (entry of closed / failed).
    if ((type === 'link.closed' || type === 'link.failed') && sick[peer]) {
      delete sick[peer];
      w = report(w, 'link.healed', peer);
    }
    return send(w, {
      type,
      linkId: linkId(peer),
      ...(type === 'link.ready' ? { readyCount: 1 } : {}),
    } as SocketEvent);
  };
  let next: World = { ...world, peers, sick };
  switch (action.type) {
    case 'connect':
      peers[action.peer] = 'connecting';
      return send(next, { type: 'peer.add', inputs: [{ linkId: linkId(action.peer), label: 'mem://m' }] });
    case 'accept':
      peers[action.peer] = 'ready';
      return report(next, 'link.ready', action.peer);
    case 'refuse':
      delete peers[action.peer];
      return report(next, 'link.failed', action.peer);
    case 'drop':
      if (action.peer === ESCALATES) {
        peers[action.peer] = 'coolingDown';
        next = report(next, 'link.unready', action.peer);
        // Sick once per sick period: a second escalation before it was stable is not counted again.
        if (sick[action.peer]) return next;
        sick[action.peer] = true;
        return report(next, 'link.sick', action.peer);
      }
      peers[action.peer] = mayAttempt(world) ? 'reconnecting' : 'suspended';
      return report(next, 'link.unready', action.peer);
    case 'rejoin':
      for (const peer of PEERS) if (peers[peer] === 'rejoining') peers[peer] = 'connecting';
      return next;
    case 'retry':
      peers[action.peer] = 'connecting';
      return next;
    case 'coolOff':
      peers[action.peer] = mayAttempt(world) ? 'connecting' : 'suspended';
      return next;
    case 'stable':
      delete sick[action.peer];
      return report(next, 'link.healed', action.peer);
    case 'remove': {
      const was = peers[action.peer];
      next = send(next, { type: 'peer.remove', linkId: linkId(action.peer) });
      if (was === 'ready') {
        peers[action.peer] = 'closing';
        return report(next, 'link.unready', action.peer);
      }
      delete peers[action.peer];
      return report(next, 'link.closed', action.peer);
    }
    case 'closed':
      delete peers[action.peer];
      return report(next, 'link.closed', action.peer);
    case 'setReconnect':
      for (const peer of PEERS) {
        // Enabling while offline tells the links nothing: they wait for the network.
        if (action.enabled && world.socket.context.online && peers[peer] === 'suspended')
          peers[peer] = 'reconnecting';
        if (!action.enabled && (peers[peer] === 'reconnecting' || peers[peer] === 'rejoining'))
          peers[peer] = 'suspended';
      }
      return send(next, { type: action.enabled ? 'reconnect.enable' : 'reconnect.disable' });
    case 'signal':
      for (const peer of PEERS) {
        const state = peers[peer];
        if (action.kind === 'offline' && (state === 'reconnecting' || state === 'rejoining'))
          peers[peer] = 'suspended';
        if (
          action.kind !== 'offline' &&
          world.socket.context.reconnectEnabled &&
          (state === 'reconnecting' || state === 'suspended')
        )
          peers[peer] = 'rejoining';
      }
      return send(next, { type: `network.${action.kind}` } as SocketEvent);
    case 'close':
    case 'terminate':
    case 'linger': {
      const event =
        action.type === 'close'
          ? { type: 'socket.close' }
          : action.type === 'terminate'
            ? { type: 'socket.terminate' }
            : { type: 'xstate.after.linger.socket.closing' };
      next = send(next, event as SocketEvent);
      const hard = action.type !== 'close';
      for (const peer of PEERS) {
        const state = peers[peer];
        if (!state) continue;
        if (state === 'ready') {
          next = report(next, 'link.unready', peer);
          if (hard) {
            delete peers[peer];
            next = report(next, 'link.closed', peer);
          } else peers[peer] = 'closing';
        } else if (state !== 'closing' || hard) {
          delete peers[peer];
          next = report(next, 'link.closed', peer);
        }
      }
      return next;
    }
  }
}

/** The runtime actions possible in a world. */
function actions(world: World): Action[] {
  const value = world.socket.value;
  if (world.socket.status === 'done') return [];
  const out: Action[] = [];
  if (value === 'open') {
    for (const peer of PEERS) {
      const state = world.peers[peer];
      if (!state) out.push({ type: 'connect', peer });
      if (state === 'connecting') out.push({ type: 'accept', peer }, { type: 'refuse', peer });
      if (state === 'ready') out.push({ type: 'drop', peer });
      if (state === 'ready' && world.sick[peer]) out.push({ type: 'stable', peer });
      if (state === 'reconnecting') out.push({ type: 'retry', peer });
      if (state === 'coolingDown') out.push({ type: 'coolOff', peer });
      if (state && state !== 'closing') out.push({ type: 'remove', peer });
    }
    out.push({ type: 'setReconnect', enabled: !world.socket.context.reconnectEnabled });
    for (const kind of ['offline', 'online', 'wake'] as const) out.push({ type: 'signal', kind });
    if (PEERS.some((peer) => world.peers[peer] === 'rejoining')) out.push({ type: 'rejoin' });
    out.push({ type: 'close' }, { type: 'terminate' });
  }
  if (value === 'closing') out.push({ type: 'linger' }, { type: 'terminate' });
  for (const peer of PEERS) if (world.peers[peer] === 'closing') out.push({ type: 'closed', peer });
  return out;
}

// Lazily, inside the test that explores the model (not while the file is collected).
const logic = fromTransition(
  (world: World, action: Action) => apply(world, action),
  () =>
    ({
      socket: initialTransition(socketMachine, { lingerMs: LINGER_MS })[0],
      peers: {},
      sick: {},
    }) as World,
);

/** A node of the model's graph: the socket's state and switches, each peer's state, and the
 * incoming edge (the previous socket state and the action). */
export function worldKey(world: World, action: Action | undefined, previous: World | undefined): string {
  return JSON.stringify([
    world.socket.value,
    world.socket.context.reconnectEnabled,
    world.socket.context.online,
    world.peers,
    world.sick,
    // A closing socket ignores a sick link's healing: the count is part of the state.
    world.socket.context.escalated,
    previous?.socket.value ?? null,
    action ?? null,
  ]);
}

const graphOptions = {
  events: (snapshot: { context: World }) => actions(snapshot.context),
  serializeState: (snapshot: { context: World }, event: Action | undefined, previous?: { context: World }) =>
    worldKey(snapshot.context, event, previous?.context),
};

/** Where a node's teardown is checked: every socket state with every combination of peer states
 * (and sickness) ends some path, as each did at the shortest paths' ends. */
export const endGroup = (world: World) => JSON.stringify([world.socket.value, world.peers, world.sick]);

/** One path of the model: its steps, the first the start (its event unused). */
export interface WorldPath {
  steps: { event: Action; state: { context: World } }[];
}

/**
 * Paths through every node of the model's graph (src/testing/covering-walks.ts): each walk goes on
 * through nodes no walk has taken yet, instead of one shortest path per node replaying its prefix
 * on a fresh supervisor (1,269 paths, 10,206 steps). Each step is taken with the model's own
 * `apply` from where the walk is (a planned action the world does not offer ends the walk).
 */
export function coveringSocketPaths(): { paths: WorldPath[]; keys: string[] } {
  type Node = {
    state: { context: World };
    transitions: Record<string, { event: Action; state: { context: World } }>;
  };
  const map = getAdjacencyMap(logic as never, graphOptions as never) as unknown as Record<string, Node>;
  const root = Object.keys(map)[0] as string;
  const edges = (key: string) => {
    const from = map[key];
    if (!from) return [];
    return Object.values(from.transitions).map((t) => ({
      event: t.event,
      to: worldKey(t.state.context, t.event, from.state.context),
    }));
  };
  const walks = coveringWalks<Action, World>({
    root,
    start: (map[root] as Node).state.context,
    edges,
    isEnd: (key) => (map[key]?.state.context.socket.status ?? 'done') === 'done',
    group: (key) => {
      const node = map[key];
      return node ? endGroup(node.state.context) : key;
    },
    step: (world, action) => {
      const offered = actions(world).some((a) => JSON.stringify(a) === JSON.stringify(action));
      if (!offered) return null;
      const next = apply(world, action);
      return { key: worldKey(next, action, world), position: next };
    },
  });
  const paths = walks.map((walk) => ({
    steps: walk.positions.map((world, i) => ({
      event: (i === 0 ? { type: 'close' } : walk.events[i - 1]) as Action,
      state: { context: world },
    })),
  }));
  return { paths, keys: Object.keys(map) };
}
