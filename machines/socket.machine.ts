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
 * close. So `spawnPeers`, `closePeer` and `tellPeers` are named actions that src/ supplies: it
 * runs each link as a child of a shard (machines/shard.machine.ts: LINKS_PER_SHARD links share
 * the shard's system, its clock and inspector) created with `createActor(…, { parent: shard })`,
 * which is NOT in the shard's `snapshot.children` (nothing copied per start or stop); only the
 * timer scan stays, bounded by the shard. 10,000 links open and close in seconds. The chart still
 * decides when each happens.
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
 * close or a mass drop is where the time matters. Not taken (round 4).
 *
 * Round 10 (BENCHMARKS.md): links created with `{ parent: shard }` instead of spawned (not in
 * `children`: no copy per stop); each link's end is one step of its shard (it counts). Paired A/B
 * against one root actor per link, same minutes, load 5–7 (bench/tree-ab.ts, bench/close-cpu.ts:
 * 10,000 ready links on the memory transport closed, 1,000 dropped; heap per idle `ws` link):
 *
 *   design                  heap per idle ws link  open CPU   close 10,000 CPU  drop 1,000 CPU
 *   root actor per link          8,818 B             1          1                 1
 *   shards of 1,024                —                 0.89       1.26 (the scan)   1.06
 *   shards of 256                6,880 B             0.98–1.03  1.09              0.98
 *   shards of 64 (taken)         6,932 B             0.94–0.99  0.89              0.80
 *   the same at load 1.5–2.9     6,907 (8,795) B     0.90       1.00              1.03
 *
 * Kept: shards of 64 (−1.9 KB of heap a link, open and close no worse); 63 since round 13 (the
 * system's actor map holds the shard too: 64 entries fill a table that a 65th doubles, −26 B a link).
 *
 *   open ──socket.close→ closing ──[no peer left]→ closed (final)
 *     │                    └─after linger─→ terminating ──[no peer left]→ closed
 *     └──socket.terminate──────────────────→ terminating (every link ended at once)
 *   open: peer.add (the links of one start slice, one step) / peer.remove / reconnect.disable /
 *         reconnect.enable (while online)
 *         network.offline (links suspend, ready ones are checked) · network.online / network.wake
 *         (waiting links attempt within rejoinDelay unless the switch is off; ready ones checked)
 *         link.ready (count; 0 → 1 emits socket.up) · link.unready (count; 1 → 0 emits socket.down)
 *         link.sick / link.healed (count; crossing degradedShare of the live links emits
 *         socket.degraded / socket.recovered, and group.degraded / group.recovered per group)
 *         group.add (a group's strategy and size) · link.lost of a group member, not itself
 *         restarted by its group [restartsGroup] → link.restart to the members its strategy names
 *         (one-for-all: every other; rest-for-one: the ones after it, in order), emits group.restart
 *
 * Group strategies (machines/policy/group.ts, after OTP): a member restarted by its group reports
 * its loss with reason kind `group`, which restarts nobody (one loss, one group restart: no
 * storm); only ready members restart (a member waiting for its backoff keeps waiting), and the
 * restart is not counted by the member's restart intensity (the lost member's own loss is). A
 * one-for-all group is up only while all its members are ready.
 *
 * One `peer.add` per start slice (issue 11): `connect()` books a link, the supervisor starts the
 * booked links in slices off the caller's stack (src/runtime/start-queue.ts), and every link of a
 * slice joins this chart in one event carrying their inputs, in call order (one step of this
 * chart for a slice of ~30 links instead of one a link). The counts are the sum of the links', the
 * degraded / recovered edges those between the counts before and after the whole slice. A session
 * trace records the slice as one event and a replay starts the same links as one slice.
 * A link's `link.ready` stays one step of this chart: on a network transport each link becomes
 * ready in a job of its own (its socket's I/O callback), so folding the reports would need a
 * delay (`up` a loop turn after the link is ready) for nothing to fold (BENCHMARKS.md, round 9).
 *
 * Idempotent: socket.close in closing or closed, reconnect.* when already in that mode.
 * Pure: no I/O, no timers but the named delay `linger`.
 */
import { type ActorRefFrom, type AnyStateNode, assertEvent, enqueueActions, setup } from 'xstate';
import type { ConnectionInput, LinkCommand, LinkReport } from './connection.machine.js';
import { GROUP_STRATEGY_DEFAULT, type GroupStrategy, readyToBeUp, restartTargets } from './policy/group.js';
import { DEGRADED_SHARE_DEFAULT, isDegraded } from './policy/intensity.js';
import { LINGER_DEFAULT_MS } from './policy/timeouts.js';

// ─── Types ──────────────────────────────────────────────────────────────────────────────────

/** What a supervisor's socket chart is started with. */
export interface SocketInput {
  /** How long closing waits for every link to drain and close before ending them, in ms. */
  lingerMs?: number;
  /** Whether links may reconnect (the flag can be toggled later). */
  reconnectEnabled?: boolean;
  /** The socket (or a group) is degraded while more than this share of its live links are
   * escalated (machines/policy/intensity.ts). */
  degradedShare?: number;
}

/** Live and ready links of one group of endpoints. */
export interface GroupCount {
  peers: number;
  ready: number;
  /** Links escalated by their restart intensity and not stable again. */
  escalated: number;
  degraded: boolean;
  /** What the group does when a member is lost (machines/policy/group.ts). */
  strategy: GroupStrategy;
  /** Members given to connectGroup (0 for links that only share an id prefix). */
  size: number;
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
  /** The network is up as far as the last signal said (`offline` until `online` or `wake`). */
  online: boolean;
  /** Links escalated by their restart intensity and not stable again. */
  escalated: number;
  /** More than `degradedShare` of the live links are escalated: the service is sick. */
  degraded: boolean;
  degradedShare: number;
}

/**
 * Every event the socket chart accepts: its commands (`peer.*`, `socket.*`, `reconnect.*`) and its
 * links' reports (`link.*`).
 */
export type SocketEvent =
  /** Links that join the socket, in the order they start (one start slice of the supervisor). */
  | { type: 'peer.add'; inputs: readonly ConnectionInput[] }
  | { type: 'peer.remove'; linkId: string; code?: number; reason?: string }
  | { type: 'reconnect.disable' }
  | { type: 'reconnect.enable' }
  /** Network signals (supervisor.signal): the network went away, came back, the machine woke up. */
  | { type: 'network.offline' }
  | { type: 'network.online' }
  | { type: 'network.wake' }
  /** A group of `size` members (`link:<group>/0` … ) and its strategy, before its links start. */
  | { type: 'group.add'; group: string; strategy: GroupStrategy; size: number }
  | { type: 'socket.close' }
  | { type: 'socket.terminate' }
  | LinkReport;

/** The events an action receives, by the chart's wiring: a type assertion, not a check (a check the
 * wiring makes always true would be dead code, and a mutant of it an equivalent one). */
type SocketEventOf<T extends SocketEvent['type']> = Extract<SocketEvent, { type: T }>;

/** What the socket chart emits: first link up, last link down, and the same edges per group. */
export type SocketEmitted =
  | { type: 'socket.up' }
  | { type: 'socket.down' }
  | { type: 'group.up'; group: string }
  | { type: 'group.down'; group: string }
  | { type: 'socket.degraded' }
  | { type: 'socket.recovered' }
  | { type: 'group.degraded'; group: string }
  | { type: 'group.recovered'; group: string }
  /** Member `cause` of `group` was lost: `members` (link ids, in order) restart with it. */
  | { type: 'group.restart'; group: string; strategy: GroupStrategy; cause: string; members: string[] };

// ─── Pure helpers ───────────────────────────────────────────────────────────────────────────

/** The group of a link id `link:<group>/<n>`, or null for a single link. */
export function groupOf(linkId: string): string | null {
  const slash = linkId.lastIndexOf('/');
  return slash > 5 ? linkId.slice(5, slash) : null;
}

/** The index of a group member `link:<group>/<n>` in its group, or -1. */
export function memberIndex(linkId: string): number {
  const slash = linkId.lastIndexOf('/');
  const n = Number(linkId.slice(slash + 1));
  return slash > 5 && Number.isInteger(n) && n >= 0 ? n : -1;
}

/** The link ids that restart with a lost member of its group (none for one-for-one, or a single link). */
export function groupRestartTargets(context: SocketContext, linkId: string): string[] {
  const member = memberCountOf(context, linkId);
  if (!member) return [];
  const { group, counts } = member;
  return restartTargets(counts.strategy, counts.size, memberIndex(linkId)).map((i) => `link:${group}/${i}`);
}

const NEW_GROUP = {
  peers: 0,
  ready: 0,
  escalated: 0,
  degraded: false,
  strategy: GROUP_STRATEGY_DEFAULT,
  size: 0,
} as const satisfies GroupCount;

/** A group member's group and its counts; undefined for a single link, whatever the groups are
 * named (peer.add has counted a member's group before the member reports). */
function memberCountOf(
  context: SocketContext,
  linkId: string,
): { group: string; counts: GroupCount } | undefined {
  const group = groupOf(linkId);
  if (group === null) return undefined;
  const counts = context.groups[group];
  return counts && { group, counts };
}

/** Ready members a group needs to be up (one; all of a one-for-all group). */
function upAt(count: GroupCount): number {
  return readyToBeUp(count.strategy, count.size);
}

type Delta = Partial<Record<'peers' | 'ready' | 'escalated', number>>;

function bump(
  groups: Record<string, GroupCount>,
  group: string | null,
  delta: Delta,
  share: number,
): Record<string, GroupCount> {
  if (group === null) return groups;
  const current = groups[group] ?? NEW_GROUP;
  const peers = current.peers + (delta.peers ?? 0);
  const escalated = current.escalated + (delta.escalated ?? 0);
  const next = {
    ...current,
    peers,
    ready: current.ready + (delta.ready ?? 0),
    escalated,
    degraded: isDegraded(escalated, peers, share),
  };
  const copy = { ...groups };
  // A link reports leaving ready before it ends, so ready never outlives the group's last peer;
  // the second test keeps a miscount visible rather than dropping it.
  // Stryker disable next-line ConditionalExpression: ready > 0 with no peer left cannot happen (see above)
  if (next.peers <= 0 && next.ready <= 0) delete copy[group];
  else copy[group] = next;
  return copy;
}

/** What enqueueActions gives a count action (kept narrow so the helper stays typed). */
interface Counter {
  assign(values: Partial<SocketContext>): void;
  emit(event: SocketEmitted): void;
}

/**
 * Applies a change of the counts of the socket and of `linkId`'s group, and emits the degraded /
 * recovered edges it causes (only while open: a closing socket's links leave on purpose).
 */
function count(context: SocketContext, enqueue: Counter, linkId: string, delta: Delta, edges: boolean): void {
  const group = groupOf(linkId);
  const peers = context.peers + (delta.peers ?? 0);
  const escalated = context.escalated + (delta.escalated ?? 0);
  const degraded = isDegraded(escalated, peers, context.degradedShare);
  const groups = bump(context.groups, group, delta, context.degradedShare);
  enqueue.assign({
    peers,
    ready: context.ready + (delta.ready ?? 0),
    escalated,
    degraded,
    groups,
  });
  if (!edges) return;
  // A single link's step changes no group's counts, so the null group's edges are none either way.
  // Stryker disable next-line ConditionalExpression: see above
  const counted = group === null ? [] : [group];
  emitSickEdges(context, enqueue, degraded, groups, counted);
}

/** The degraded / recovered edges between `context` and the counts after a step: the socket's,
 * then each group's that the step counted (in the order given). */
function emitSickEdges(
  context: SocketContext,
  enqueue: Counter,
  degraded: boolean,
  groups: Record<string, GroupCount>,
  counted: readonly string[],
): void {
  if (degraded !== context.degraded)
    enqueue.emit({ type: degraded ? 'socket.degraded' : 'socket.recovered' });
  for (const group of counted) {
    const was = context.groups[group]?.degraded ?? false;
    const now = groups[group]?.degraded ?? false;
    if (was !== now) enqueue.emit({ type: now ? 'group.degraded' : 'group.recovered', group });
  }
}

/**
 * Counts the links of one `peer.add` (a start slice): one live link more each, for the socket and
 * for each link's group, with the degraded / recovered edges between before and after the slice
 * (the groups' in the order of the groups: a slice adds no group that could be degraded).
 */
function countAdded(context: SocketContext, enqueue: Counter, inputs: readonly ConnectionInput[]): void {
  let groups = context.groups;
  for (const { linkId } of inputs)
    groups = bump(groups, groupOf(linkId), { peers: 1 }, context.degradedShare);
  const peers = context.peers + inputs.length;
  const degraded = isDegraded(context.escalated, peers, context.degradedShare);
  enqueue.assign({ peers, degraded, groups });
  emitSickEdges(context, enqueue, degraded, groups, Object.keys(groups));
}

// ─── Setup ──────────────────────────────────────────────────────────────────────────────────

/**
 * The socket chart's `setup()`: its types and every action, guard and delay by name. `spawnPeers`,
 * `closePeer` and `tellPeers` are supplied by the runtime (the supervisor), which runs the links.
 */
export const socketSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as SocketContext,
    events: {} as SocketEvent,
    input: {} as SocketInput,
    emitted: {} as SocketEmitted,
  },
  guards: {
    noPeersLeft: ({ context }) => context.peers <= 0,
    /** The application's reconnect switch is on: links may come back when the network does. */
    reconnectAllowed: ({ context }) => context.reconnectEnabled,
    isOnline: ({ context }) => context.online,
    /** A group member was lost by itself (not restarted by its group) and its strategy restarts
     * others. A member restarted by the group restarts nobody: no restart storm. */
    restartsGroup: ({ context, event }) => {
      const { reason, linkId } = event as SocketEventOf<'link.lost'>;
      return reason.kind !== 'group' && groupRestartTargets(context, linkId).length > 0;
    },
  },
  delays: {
    linger: ({ context }) => context.lingerMs,
  },
  actions: {
    // Effects on links, supplied by src/ (see the header); the defaults do nothing.
    /** peer.add: start the links with `params.inputs`, in order (`peerInput`: each event input,
     * the current reconnect flag and the reports this chart handles). */
    spawnPeers: enqueueActions((_, _params: { inputs: readonly ConnectionInput[] }) => {}),
    /** peer.remove: send `link.close` to link `event.linkId` (it drains, closes, reports). */
    closePeer: enqueueActions(() => {}),
    /** Send `params.event` to every link. */
    tellPeers: enqueueActions((_, _params: { event: LinkCommand }) => {}),
    /** Send `params.event` to the links `params.linkIds`, in that order (those not live ignore it). */
    tellLinks: enqueueActions((_, _params: { linkIds: string[]; event: LinkCommand }) => {}),
    /** group.add: the group's strategy and size (its counts start at zero). */
    addGroup: enqueueActions(({ context, event, enqueue }) => {
      const { group, strategy, size } = event as SocketEventOf<'group.add'>;
      const current = context.groups[group] ?? NEW_GROUP;
      enqueue.assign({ groups: { ...context.groups, [group]: { ...current, strategy, size } } });
    }),
    /** A member was lost: say which members its group's strategy restarts with it. */
    announceGroupRestart: enqueueActions(({ context, event, enqueue }) => {
      const { linkId } = event as SocketEventOf<'link.lost'>;
      const group = groupOf(linkId) as string;
      const members = groupRestartTargets(context, linkId);
      // Stryker disable next-line OptionalChaining: restartsGroup let it through, so the group is counted
      const strategy = context.groups[group]?.strategy ?? GROUP_STRATEGY_DEFAULT;
      enqueue.emit({ type: 'group.restart', group, strategy, cause: linkId, members });
    }),
    countPeers: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'peer.add');
      countAdded(context, enqueue, event.inputs);
    }),
    countEscalated: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'link.sick') count(context, enqueue, event.linkId, { escalated: 1 }, true);
      if (event.type === 'link.healed') count(context, enqueue, event.linkId, { escalated: -1 }, true);
    }),
    // Only an open socket's links become ready: the up edges are always announced. A ready count
    // changes neither the live nor the escalated links, so it has no degraded edge to emit.
    countReady: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'link.ready');
      // Stryker disable next-line BooleanLiteral: no degraded edge can come of a ready count (see above)
      count(context, enqueue, event.linkId, { ready: 1 }, false);
      if (context.ready === 0) enqueue.emit({ type: 'socket.up' });
      const member = memberCountOf(context, event.linkId);
      if (member && member.counts.ready + 1 === upAt(member.counts))
        enqueue.emit({ type: 'group.up', group: member.group });
    }),
    countUnready: enqueueActions(({ context, event, enqueue }, params: { edges: boolean }) => {
      assertEvent(event, 'link.unready');
      // Stryker disable next-line BooleanLiteral: no degraded edge can come of a ready count (see countReady)
      count(context, enqueue, event.linkId, { ready: -1 }, false);
      if (!params.edges) return;
      if (context.ready === 1) enqueue.emit({ type: 'socket.down' });
      const member = memberCountOf(context, event.linkId);
      if (member && member.counts.ready === upAt(member.counts))
        enqueue.emit({ type: 'group.down', group: member.group });
    }),
    countGone: enqueueActions(({ context, event, enqueue }, params: { edges: boolean }) => {
      assertEvent(event, ['link.closed', 'link.failed']);
      count(context, enqueue, event.linkId, { peers: -1 }, params.edges);
    }),
    setReconnect: enqueueActions(({ enqueue }, params: { enabled: boolean }) => {
      enqueue.assign({ reconnectEnabled: params.enabled });
    }),
    setOnline: enqueueActions(({ enqueue }, params: { online: boolean }) => {
      enqueue.assign({ online: params.online });
    }),
  },
});

// ─── The chart ──────────────────────────────────────────────────────────────────────────────

/** The members a lost one restarts (in order) and what they are told (`link.lost` only). */
function restartCommand({ context, event }: { context: SocketContext; event: SocketEvent }): {
  linkIds: string[];
  event: LinkCommand;
} {
  const { linkId } = event as SocketEventOf<'link.lost'>;
  const group = groupOf(linkId) as string;
  return {
    linkIds: groupRestartTargets(context, linkId),
    event: { type: 'link.restart', group, cause: linkId },
  };
}

/** What `spawnPeers` starts a peer.add's links with (see `peerInput`). */
function spawnParams({ context, event }: { context: SocketContext; event: SocketEvent }): {
  inputs: readonly ConnectionInput[];
} {
  assertEvent(event, 'peer.add');
  return { inputs: event.inputs.map((input) => peerInput(context, input)) };
}

/** The network is back (`online`), or the machine woke up (`wake`: timers were frozen, the
 * network may have changed): the same for the links. */
const networkBack = [
  {
    guard: 'reconnectAllowed',
    actions: [
      { type: 'setOnline', params: { online: true } },
      { type: 'tellPeers', params: { event: { type: 'network.online' } } },
      { type: 'tellPeers', params: { event: { type: 'heartbeat.overdue' } } },
    ],
    description: 'Waiting links attempt within rejoinDelay (0–1 s); ready links are checked now.',
  },
  {
    actions: [
      { type: 'setOnline', params: { online: true } },
      { type: 'tellPeers', params: { event: { type: 'heartbeat.overdue' } } },
    ],
    description: 'The reconnect switch is off: links stay suspended; ready links are checked now.',
  },
] as const;

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
    online: true,
    escalated: 0,
    degraded: false,
    degradedShare: input.degradedShare ?? DEGRADED_SHARE_DEFAULT,
  }),
  initial: 'open',
  states: {
    open: {
      on: {
        'peer.add': { actions: [{ type: 'spawnPeers', params: spawnParams }, 'countPeers'] },
        'peer.remove': { actions: 'closePeer' },
        'link.ready': { actions: 'countReady' },
        'link.unready': { actions: { type: 'countUnready', params: { edges: true } } },
        'link.closed': { actions: { type: 'countGone', params: { edges: true } } },
        'link.failed': { actions: { type: 'countGone', params: { edges: true } } },
        'link.sick': {
          actions: 'countEscalated',
          description: 'More than degradedShare of the live links escalated: emits socket.degraded.',
        },
        'link.healed': {
          actions: 'countEscalated',
          description: 'Share back at or under degradedShare: emits socket.recovered.',
        },
        'group.add': { actions: 'addGroup' },
        'link.lost': {
          guard: 'restartsGroup',
          actions: ['announceGroupRestart', { type: 'tellLinks', params: restartCommand }],
          description: 'A member lost: restart the ones its group strategy names.',
        },
        'reconnect.disable': {
          actions: [
            { type: 'setReconnect', params: { enabled: false } },
            { type: 'tellPeers', params: { event: { type: 'reconnect.disable' } } },
          ],
        },
        'reconnect.enable': [
          {
            guard: 'isOnline',
            actions: [
              { type: 'setReconnect', params: { enabled: true } },
              { type: 'tellPeers', params: { event: { type: 'reconnect.enable' } } },
            ],
          },
          {
            actions: { type: 'setReconnect', params: { enabled: true } },
            description: 'Offline: links stay suspended until the network is back.',
          },
        ],
        'network.offline': {
          actions: [
            { type: 'setOnline', params: { online: false } },
            { type: 'tellPeers', params: { event: { type: 'reconnect.disable' } } },
            { type: 'tellPeers', params: { event: { type: 'heartbeat.overdue' } } },
          ],
          description: 'No attempts while offline (links wait in suspended); ready links are checked now.',
        },
        'network.online': networkBack,
        'network.wake': networkBack,
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
        // Stryker disable next-line ObjectLiteral: params {} read edges as undefined, as false
        'link.unready': { actions: { type: 'countUnready', params: { edges: false } } },
        // Stryker disable next-line ObjectLiteral: params {} read edges as undefined, as false
        'link.closed': { actions: { type: 'countGone', params: { edges: false } } },
        'socket.terminate': 'terminating',
      },
    },
    terminating: {
      description: 'Every link still running is ended at once (its socket destroyed); each reports closed.',
      entry: { type: 'tellPeers', params: { event: { type: 'link.terminate' } } },
      always: { guard: 'noPeersLeft', target: 'closed' },
      on: {
        // Stryker disable next-line ObjectLiteral: params {} read edges as undefined, as false
        'link.unready': { actions: { type: 'countUnready', params: { edges: false } } },
        // Stryker disable next-line ObjectLiteral: params {} read edges as undefined, as false
        'link.closed': { actions: { type: 'countGone', params: { edges: false } } },
      },
    },
    closed: {
      type: 'final',
    },
  },
});

// ─── What a link reports to this chart ─────────────────────────────────────────────────────

/**
 * The reports (`link.*`) some transition of this chart takes, read from the chart itself. Without
 * `grouped`, those taken only under `restartsGroup` (`link.lost`: a lost member restarts its
 * group, so a single link's is ignored) are left out. Frozen: every link of a kind shares one
 * array (its policy, machines/connection-context.ts).
 */
function reportsTaken(grouped: boolean): readonly LinkReport['type'][] {
  const taken: string[] = [];
  const visit = (node: AnyStateNode): void => {
    for (const [type, transitions] of node.transitions) {
      if (
        type.startsWith('link.') &&
        !taken.includes(type) &&
        // Stryker disable next-line MethodExpression: every state takes a report with one transition, where some and every agree
        transitions.some((t) => grouped || t.guard !== 'restartsGroup')
      )
        taken.push(type);
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(socketMachine.root);
  return Object.freeze(taken) as readonly LinkReport['type'][];
}

/** The reports a link in a group sends this chart, and those a single link sends. */
export const GROUP_MEMBER_REPORTS = reportsTaken(true);
export const SINGLE_LINK_REPORTS = reportsTaken(false);

/**
 * What a link is started with by this chart (`spawnPeers`): its input with the socket's reconnect
 * switch (off while offline) and the reports this chart takes from it, so that a link reports
 * nothing the chart would ignore: a drop is one step of the socket (`link.unready`), not three.
 */
export function peerInput(context: SocketContext, input: ConnectionInput): ConnectionInput {
  return {
    ...input,
    reconnectEnabled: context.reconnectEnabled && context.online,
    reports: groupOf(input.linkId) === null ? SINGLE_LINK_REPORTS : GROUP_MEMBER_REPORTS,
  };
}

/** The type of `socketMachine`. */
export type SocketMachine = typeof socketMachine;
/** An actor running the socket chart. */
export type SocketActorRef = ActorRefFrom<SocketMachine>;
