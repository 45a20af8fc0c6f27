/**
 * The socket statechart: the parent of the links of one logical socket (a supervisor).
 *
 * Owns: which peers exist (one connection actor per peer, with the deterministic id
 * `link:<peer id>`), whether any is ready (the first-peer-up / last-peer-down edges, for the
 * whole socket and per group of endpoints of one service), the reconnect flag of all links, and
 * the close-time drain.
 * Scope boundary: links report to the socket through `link.*` events (their `parent` input); the
 * socket never reads a link's context. It counts; it keeps no per-peer record (a record of
 * 10,000 peers copied on every event would be quadratic).
 *
 * Why the links are not XState children: in XState 5.33 a parent's children live in one object
 * copied on every spawn and stop, and every actor that stops scans every timer scheduled in its
 * system (`scheduler.cancelAll`). Both are quadratic: 10,000 links in one system took ~40 s to
 * close. So `spawnPeer`, `closePeer` and `tellPeers` are named actions that src/
 * supplies: it runs each link as a root actor of its own system (same clock, same inspector),
 * and 10,000 links open and close in seconds. The chart still decides when each happens.
 *
 * Shards measured against it (issue 11; production build, 10,000 connection actors each waiting
 * in `reconnecting` on one timer; genuine children spawned in one `assign` per shard of a shard
 * actor that is the root of its own system; bench/shards.ts):
 *
 *   design                    heap per link   create all   stop all
 *   root actor per link            5.3 KB        1.9 s       0.35 s
 *   shards of 100 children         3.6 KB        1.5 s       1.8 s
 *   shards of 250 children         3.6 KB        2.3 s       4.1 s
 *   shards of 500 children         3.6 KB        4.3 s       6.9 s
 *
 * A shard saves the per-system cost (~1.7 KB a link: the system's closures, maps and its timer
 * tables keyed by per-actor ids) but stopping stays quadratic within each shard (the children
 * object copied per stop, every stop scanning the shard's timers): 5–20 × slower to close, and a
 * close or a mass drop is where the time matters. Kept: one root actor per link.
 *
 *   open ──socket.close→ closing ──[no peer left]→ closed (final)
 *     │                    └─after linger─→ terminating ──[no peer left]→ closed
 *     └──socket.terminate──────────────────→ terminating (every link ended at once)
 *   open: peer.add / peer.remove / reconnect.disable / reconnect.enable
 *         link.ready (count; 0 → 1 emits socket.up) · link.unready (count; 1 → 0 emits socket.down)
 *
 * Idempotent: socket.close in closing or closed, reconnect.* when already in that mode.
 * Pure: no I/O, no timers but the named delay `linger`.
 */
import { type ActorRefFrom, enqueueActions, setup } from 'xstate';
import type { ConnectionInput, LinkCommand, LinkReport } from './connection.machine.js';
import { LINGER_DEFAULT_MS } from './policy/timeouts.js';

// ─── Types ──────────────────────────────────────────────────────────────────────────────────

/** What a supervisor's socket chart is started with. */
export interface SocketInput {
  /** How long closing waits for every link to drain and close before ending them, in ms. */
  lingerMs?: number;
  /** Whether links may reconnect (the flag can be toggled later). */
  reconnectEnabled?: boolean;
}

/** Live and ready links of one group of endpoints. */
export interface GroupCount {
  peers: number;
  ready: number;
}

/**
 * The socket chart's context: how many links are live and ready (overall and per group), the
 * linger, the reconnect switch.
 */
export interface SocketContext {
  lingerMs: number;
  /** Live peers (added and not yet closed or failed). */
  peers: number;
  /** Peers that are ready now. */
  ready: number;
  /** Counts per group of endpoints (`link:<group>/<n>` ids); groups are few. */
  groups: Record<string, GroupCount>;
  reconnectEnabled: boolean;
}

/**
 * Every event the socket chart accepts: its commands (`peer.*`, `socket.*`, `reconnect.*`) and its
 * links' reports (`link.*`).
 */
export type SocketEvent =
  | { type: 'peer.add'; input: ConnectionInput }
  | { type: 'peer.remove'; linkId: string; code?: number; reason?: string }
  | { type: 'reconnect.disable' }
  | { type: 'reconnect.enable' }
  | { type: 'socket.close' }
  | { type: 'socket.terminate' }
  | LinkReport;

/** What the socket chart emits: first link up, last link down, and the same edges per group. */
export type SocketEmitted =
  | { type: 'socket.up' }
  | { type: 'socket.down' }
  | { type: 'group.up'; group: string }
  | { type: 'group.down'; group: string };

// ─── Pure helpers ───────────────────────────────────────────────────────────────────────────

/** The group of a link id `link:<group>/<n>`, or null for a single link. */
export function groupOf(linkId: string): string | null {
  const slash = linkId.lastIndexOf('/');
  return slash > 5 ? linkId.slice(5, slash) : null;
}

function bump(groups: Record<string, GroupCount>, group: string | null, delta: Partial<GroupCount>) {
  if (group === null) return groups;
  const current = groups[group] ?? { peers: 0, ready: 0 };
  const next = { peers: current.peers + (delta.peers ?? 0), ready: current.ready + (delta.ready ?? 0) };
  const copy = { ...groups };
  if (next.peers <= 0 && next.ready <= 0) delete copy[group];
  else copy[group] = next;
  return copy;
}

// ─── Setup ──────────────────────────────────────────────────────────────────────────────────

/**
 * The socket chart's `setup()`: its types and every action, guard and delay by name. `spawnPeer`,
 * `closePeer` and `tellPeers` are supplied by the runtime (the supervisor), which runs the links.
 */
export const socketSetup = setup({
  types: {
    context: {} as SocketContext,
    events: {} as SocketEvent,
    input: {} as SocketInput,
    emitted: {} as SocketEmitted,
  },
  guards: {
    noPeersLeft: ({ context }) => context.peers <= 0,
  },
  delays: {
    linger: ({ context }) => context.lingerMs,
  },
  actions: {
    // Effects on links, supplied by src/ (see the header); the defaults do nothing.
    /** peer.add: start the link with `event.input` (plus the current reconnect flag). */
    spawnPeer: enqueueActions(() => {}),
    /** peer.remove: send `link.close` to link `event.linkId` (it drains, closes, reports). */
    closePeer: enqueueActions(() => {}),
    /** Send `params.event` to every link. */
    tellPeers: enqueueActions((_, _params: { event: LinkCommand }) => {}),
    countPeer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'peer.add') return;
      enqueue.assign({
        peers: context.peers + 1,
        groups: bump(context.groups, groupOf(event.input.linkId), { peers: 1 }),
      });
    }),
    countReady: enqueueActions(({ context, event, enqueue }, params: { edges: boolean }) => {
      if (event.type !== 'link.ready') return;
      const group = groupOf(event.linkId);
      enqueue.assign({ ready: context.ready + 1, groups: bump(context.groups, group, { ready: 1 }) });
      if (!params.edges) return;
      if (context.ready === 0) enqueue.emit({ type: 'socket.up' });
      if (group !== null && (context.groups[group]?.ready ?? 0) === 0)
        enqueue.emit({ type: 'group.up', group });
    }),
    countUnready: enqueueActions(({ context, event, enqueue }, params: { edges: boolean }) => {
      if (event.type !== 'link.unready') return;
      const group = groupOf(event.linkId);
      enqueue.assign({ ready: context.ready - 1, groups: bump(context.groups, group, { ready: -1 }) });
      if (!params.edges) return;
      if (context.ready === 1) enqueue.emit({ type: 'socket.down' });
      if (group !== null && context.groups[group]?.ready === 1) enqueue.emit({ type: 'group.down', group });
    }),
    countGone: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'link.closed' && event.type !== 'link.failed') return;
      enqueue.assign({
        peers: context.peers - 1,
        groups: bump(context.groups, groupOf(event.linkId), { peers: -1 }),
      });
    }),
    setReconnect: enqueueActions(({ enqueue }, params: { enabled: boolean }) => {
      enqueue.assign({ reconnectEnabled: params.enabled });
    }),
  },
});

// ─── The chart ──────────────────────────────────────────────────────────────────────────────

/**
 * The socket statechart, parent of a supervisor's links: open → closing (drain, then linger) →
 * terminating → closed, with first-up / last-down edges and the reconnect switch (see
 * docs/supervisor.md).
 */
export const socketMachine = socketSetup.createMachine({
  id: 'socket',
  context: ({ input }) => ({
    lingerMs: input.lingerMs ?? LINGER_DEFAULT_MS,
    peers: 0,
    ready: 0,
    groups: {},
    reconnectEnabled: input.reconnectEnabled ?? true,
  }),
  initial: 'open',
  states: {
    open: {
      on: {
        'peer.add': { actions: ['spawnPeer', 'countPeer'] },
        'peer.remove': { actions: 'closePeer' },
        'link.ready': { actions: { type: 'countReady', params: { edges: true } } },
        'link.unready': { actions: { type: 'countUnready', params: { edges: true } } },
        'link.closed': { actions: 'countGone' },
        'link.failed': { actions: 'countGone' },
        'reconnect.disable': {
          actions: [
            { type: 'setReconnect', params: { enabled: false } },
            { type: 'tellPeers', params: { event: { type: 'reconnect.disable' } } },
          ],
        },
        'reconnect.enable': {
          actions: [
            { type: 'setReconnect', params: { enabled: true } },
            { type: 'tellPeers', params: { event: { type: 'reconnect.enable' } } },
          ],
        },
        'socket.close': 'closing',
        'socket.terminate': 'terminating',
      },
    },
    closing: {
      description: 'Every link drains and closes; after the linger time the rest are ended.',
      entry: { type: 'tellPeers', params: { event: { type: 'link.close' } } },
      always: { guard: 'noPeersLeft', target: 'closed' },
      after: { linger: 'terminating' },
      // Every link was told to close: none becomes ready or fails any more, each reports closed
      // (a ready one first reports leaving ready).
      on: {
        'link.unready': { actions: { type: 'countUnready', params: { edges: false } } },
        'link.closed': { actions: 'countGone' },
        'socket.terminate': 'terminating',
      },
    },
    terminating: {
      description: 'Every link still running is ended at once (its socket destroyed); each reports closed.',
      entry: { type: 'tellPeers', params: { event: { type: 'link.terminate' } } },
      always: { guard: 'noPeersLeft', target: 'closed' },
      on: {
        'link.unready': { actions: { type: 'countUnready', params: { edges: false } } },
        'link.closed': { actions: 'countGone' },
      },
    },
    closed: {
      type: 'final',
    },
  },
});

/** The type of `socketMachine`. */
export type SocketMachine = typeof socketMachine;
/** An actor running the socket chart. */
export type SocketActorRef = ActorRefFrom<SocketMachine>;
