/**
 * The socket chart's vocabulary of behaviour: its `setup()` — the types and every action, guard
 * and delay by name — that socket.machine.ts builds the chart from. The effects on links
 * (`spawnPeers`, `closePeer`, `tellPeers`, `tellLinks`) do nothing here: the supervisor supplies
 * them with `.provide()` (src/runtime/supervisor-socket.ts). The counting the actions do is in
 * ./socket-counts.ts. Pure: no I/O, no timers but the named delay `linger` (its value is the
 * context's `lingerMs`, from machines/policy/timeouts.ts by default).
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import type { ConnectionInput, LinkCommand } from './connection-types.js';
import { GROUP_STRATEGY_DEFAULT } from './policy/group.js';
import {
  count,
  countAdded,
  groupOf,
  groupRestartTargets,
  memberCountOf,
  NEW_GROUP,
  notCountedReady,
  upAt,
  withoutGroup,
} from './socket-counts.js';
import type {
  SocketContext,
  SocketEmitted,
  SocketEvent,
  SocketEventOf,
  SocketInput,
} from './socket-types.js';

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
    /** A link.ready that may cross an edge: the socket's first ready link (socket.up) or a group
     * member's (group.up). Any other changes the ready count alone (`countOneMoreReady`). */
    readyMayCrossEdge: ({ context, event }) =>
      context.ready === 0 ||
      memberCountOf(context, (event as SocketEventOf<'link.ready'>).linkId) !== undefined,
    /** A link.unready that may cross an edge: the socket's last ready link (socket.down) or a
     * group member's (group.down). Any other changes the ready count alone (`countOneLessReady`). */
    unreadyMayCrossEdge: ({ context, event }) =>
      context.ready === 1 ||
      memberCountOf(context, (event as SocketEventOf<'link.unready'>).linkId) !== undefined,
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
    /** group.remove: forget the group (its members all ended, none left to start); its counts are
     * zero by then, so no edge. Members it no longer knows count as single links. */
    removeGroup: assign({
      groups: ({ context, event }) =>
        withoutGroup(context.groups, (event as SocketEventOf<'group.remove'>).group),
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
    /** link.ready of a single link while others are ready: one ready link more, nothing to emit
     * (the groups, the live and escalated links, and so the degraded flag, stay as they are). */
    countOneMoreReady: assign({ ready: ({ context }) => context.ready + 1 }),
    /** link.unready of a single link while others stay ready (every drop of a mass drop but the
     * last): one ready link fewer, nothing to emit (as countOneMoreReady). At zero, a stray report
     * (from a link not counted ready, or repeated) is ignored: the count never goes below zero. */
    countOneLessReady: assign({ ready: ({ context }) => (context.ready > 0 ? context.ready - 1 : 0) }),
    countUnready: enqueueActions(({ context, event, enqueue }, params: { edges: boolean }) => {
      assertEvent(event, 'link.unready');
      // A stray or repeated report (the socket's or the group's ready count is zero): never counted
      // ready, so nothing to uncount and no edge (a count below zero would miss the next up).
      if (notCountedReady(context, event.linkId)) return;
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
