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
 *         link.ready (count; 0 → 1 emits socket.up; a single link's while others are ready: the
 *         ready count alone, one plain assign) · link.unready (count; 1 → 0 emits socket.down; a
 *         single link's while others stay ready: the ready count alone, one plain assign)
 *         link.sick / link.healed (count; crossing degradedShare of the live links emits
 *         socket.degraded / socket.recovered, and group.degraded / group.recovered per group)
 *         group.add (a group's strategy and size) · group.remove (the group has ended: forgotten;
 *         kept until then, even with no member live, so members started later keep its strategy;
 *         a link counts in a group only while the group is added) · link.lost of a group member,
 *         not itself restarted by its group [restartsGroup] → link.restart to the members its strategy names
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
 * Round 36 measured that delay (prototype 3bafe73, reverted): the single links' `link.ready` /
 * `link.unready` of one event-loop turn gathered by a `setImmediate` flush into one `links.ready` /
 * `links.unready` step (a report that may cross an edge, a group member's, and every other event
 * going at once, after what was gathered). It wins: the socket's steps per link opened on `ws`
 * 1.03 → 0.06 and per link dropped 1.00 → 0.003 (bench/socket-steps.ts), the drop's bytes
 * 53.4 → 45.7 KB a link (paired 0.856 against an A/A of 0.998), the open's report step (~3 KB a
 * link) gone. Not landed, for what it needs first: the only place to gather without changing the
 * connection chart is the socket actor's `_send` (XState's relay target, internal), and XState
 * announces each report (`@xstate.event`) before it gets there, so a session trace reserves a place
 * for every gathered report that no snapshot fills (src/trace/trace-recorder.ts) and an inspector
 * sees events this chart never steps on; the runtime's start queue reads the ready count, which
 * would lag a loop turn (src/runtime/link-starter.ts). Landing it: the link reports through an
 * action the runtime supplies (machines/connection-announce.ts), the recorder makes one record of
 * the gathered reports and `replayTrace` sends them as one, the flush cancelled at close/terminate.
 * A `link.unready` the counts never took (the socket's or its group's ready count already 0: a
 * stray or repeated report) is ignored by `countOneLessReady` / `countUnready`: no count below zero.
 *
 * Files: this one is the chart and what a link reports to it (`peerInput`, read from the chart's
 * own transitions); ./socket-types.ts its input, context and events; ./socket-setup.ts its
 * `setup()`, every action, guard and delay by name; ./socket-counts.ts the pure counting and
 * group-id helpers those actions call.
 *
 * Idempotent: socket.close in closing or closed, reconnect.* when already in that mode.
 * Pure: no I/O, no timers but the named delay `linger`.
 */
import { type ActorRefFrom, type AnyStateNode, assertEvent } from 'xstate';
import type { ConnectionInput, LinkCommand, LinkReport } from './connection-types.js';
import { DEGRADED_SHARE_DEFAULT } from './policy/intensity.js';
import { LINGER_DEFAULT_MS } from './policy/timeouts.js';
import { groupOf, groupRestartTargets, memberCountOf } from './socket-counts.js';
import { socketSetup } from './socket-setup.js';
import type { SocketContext, SocketEvent, SocketEventOf } from './socket-types.js';
import { uniformTransitions } from './uniform-transitions.js';

export { groupOf, groupRestartTargets, memberIndex } from './socket-counts.js';
export { socketSetup } from './socket-setup.js';
export type {
  GroupCount,
  SocketContext,
  SocketEmitted,
  SocketEvent,
  SocketInput,
} from './socket-types.js';

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
export const socketMachine = socketSetup.createMachine(
  uniformTransitions({
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
          'link.ready': [
            { guard: 'readyMayCrossEdge', actions: 'countReady' },
            {
              actions: 'countOneMoreReady',
              description: 'A single link ready while others are: the ready count alone (no edge to emit).',
            },
          ],
          'link.unready': [
            { guard: 'unreadyMayCrossEdge', actions: { type: 'countUnready', params: { edges: true } } },
            {
              actions: 'countOneLessReady',
              description: 'A single link unready while others are: the ready count alone (no edge to emit).',
            },
          ],
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
          'group.remove': {
            actions: 'removeGroup',
            description: 'The group has ended (no member live or left to start): its counts go.',
          },
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
  }),
);

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
 * A member of a group (`member`) reports as one, any other link as a single link, whatever its id
 * looks like (`x/1` with no group `x`). Membership is the chart's (`context.groups`) unless the
 * caller knows better: the runtime starting a link while this chart is mid-step, before it took a
 * queued `group.add` (src/runtime/link-starter.ts), says whether the link is a member.
 */
export function peerInput(
  context: SocketContext,
  input: ConnectionInput,
  member = memberCountOf(context, input.linkId) !== undefined,
): ConnectionInput {
  return {
    ...input,
    reconnectEnabled: context.reconnectEnabled && context.online,
    reports: member ? GROUP_MEMBER_REPORTS : SINGLE_LINK_REPORTS,
  };
}

/** The type of `socketMachine`. */
export type SocketMachine = typeof socketMachine;
/** An actor running the socket chart. */
export type SocketActorRef = ActorRefFrom<SocketMachine>;
