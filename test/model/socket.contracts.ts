/**
 * What each named action and delay of the socket chart must do, written apart from the chart:
 * the oracle of the per-step check of the socket's generated paths (src/testing/chart-step-check.ts).
 * The effects on links (spawnPeers, closePeer, tellPeers) belong to the runtime: the links' own
 * states, checked by the model at every step, show them.
 */
import type { EventObject } from 'xstate';
import { GROUP_STRATEGY_DEFAULT, readyToBeUp, restartTargets } from '../../machines/policy/group.js';
import { DEGRADED_SHARE_DEFAULT } from '../../machines/policy/intensity.js';
import { LINGER_DEFAULT_MS } from '../../machines/policy/timeouts.js';
import type { GroupCount, SocketContext, SocketEmitted, SocketInput } from '../../machines/socket.machine.js';
import type { ChartContracts } from '../../src/testing/chart-step-check.js';

/** `link:<group>/<n>` is endpoint n of a group; any other id is a single link. */
function groupOfId(linkId: string): string | null {
  const match = /^link:(.+)\/[^/]*$/.exec(linkId);
  return match?.[1] ?? null;
}

/** The group `linkId` is a member of: its `<group>` while the chart has that group (from
 * `group.add` to `group.remove`); a single link (null) whatever its id looks like otherwise. */
function memberGroup(context: SocketContext, linkId: string): string | null {
  const group = groupOfId(linkId);
  return group !== null && context.groups[group] !== undefined ? group : null;
}

/** The links of a peer.add (a start slice), in order. */
function addedIds(event: EventObject): string[] {
  return (event as { inputs?: { linkId: string }[] }).inputs?.map((input) => input.linkId) ?? [];
}

function linkIdOf(event: EventObject): string {
  const e = event as { linkId?: string; input?: { linkId: string } };
  return e.linkId ?? e.input?.linkId ?? '';
}

type Delta = Partial<Record<'peers' | 'ready' | 'escalated', number>>;

/** A group before its first link or `group.add`: no counts, one-for-one, no declared size. */
const NO_GROUP: GroupCount = {
  peers: 0,
  ready: 0,
  escalated: 0,
  degraded: false,
  strategy: GROUP_STRATEGY_DEFAULT,
  size: 0,
};

/** A link.unready the counts never took: the socket's ready count, or its group's, is zero. */
function stray(context: SocketContext, linkId: string): boolean {
  const group = memberGroup(context, linkId);
  return context.ready === 0 || (group !== null && (context.groups[group]?.ready ?? 0) === 0);
}

/** Sick: more than `share` of the live links are escalated (none live: not sick). */
function sick(escalated: number, peers: number, share: number): boolean {
  return peers > 0 && escalated > share * peers;
}

/** The groups' counts after `delta` for the group of `linkId` (a group stays, with no live link
 * too, until `group.remove`). */
function counted(context: SocketContext, linkId: string, delta: Delta): Record<string, GroupCount> {
  const group = memberGroup(context, linkId);
  if (group === null) return context.groups;
  const was = context.groups[group] as GroupCount;
  const peers = was.peers + (delta.peers ?? 0);
  const escalated = was.escalated + (delta.escalated ?? 0);
  const now = {
    ...was,
    peers,
    ready: was.ready + (delta.ready ?? 0),
    escalated,
    degraded: sick(escalated, peers, context.degradedShare),
  };
  return { ...context.groups, [group]: now };
}

/** The socket's counts after `delta` for `linkId` (its group's included). */
function counts(context: SocketContext, linkId: string, delta: Delta): Partial<SocketContext> {
  const peers = context.peers + (delta.peers ?? 0);
  const escalated = context.escalated + (delta.escalated ?? 0);
  return {
    peers,
    ready: context.ready + (delta.ready ?? 0),
    escalated,
    degraded: sick(escalated, peers, context.degradedShare),
    groups: counted(context, linkId, delta),
  };
}

/** The socket's counts after one more live link for each of `linkIds` (a start slice): the
 * same as adding them one by one. */
function added(context: SocketContext, linkIds: readonly string[]): Partial<SocketContext> {
  let now = context;
  for (const linkId of linkIds) now = { ...now, ...counts(now, linkId, { peers: 1 }) };
  const { peers, ready, escalated, degraded, groups } = now;
  return { peers, ready, escalated, degraded, groups };
}

/** The degraded / recovered edges between the context an action found and the one it left:
 * the socket's first, then those of `groups`, in that order. */
function sickEdges(found: SocketContext, left: SocketContext, groups: (string | null)[]): SocketEmitted[] {
  const out: SocketEmitted[] = [];
  if (found.degraded !== left.degraded)
    out.push({ type: left.degraded ? 'socket.degraded' : 'socket.recovered' });
  for (const group of groups) {
    if (group === null) continue;
    const was = found.groups[group]?.degraded ?? false;
    const now = left.groups[group]?.degraded ?? false;
    if (was !== now) out.push({ type: now ? 'group.degraded' : 'group.recovered', group });
  }
  return out;
}

/** Ready members a group needs to be up: all of a one-for-all group, else one. */
function upAt(count: GroupCount | undefined): number {
  return count ? readyToBeUp(count.strategy, count.size) : 1;
}

/** Member n of `link:<group>/<n>`, or -1. */
function memberOf(linkId: string): number {
  const match = /^link:.+\/(\d+)$/.exec(linkId);
  return match ? Number(match[1]) : -1;
}

/** The members a lost member's group restarts with it (its strategy, policy/group.ts). */
function restartedWith(context: SocketContext, linkId: string): string[] {
  const group = groupOfId(linkId);
  const count = group === null ? undefined : context.groups[group];
  if (!count || group === null) return [];
  return restartTargets(count.strategy, count.size, memberOf(linkId)).map((i) => `link:${group}/${i}`);
}

const edges = (params: unknown) => (params as { edges?: boolean } | undefined)?.edges === true;
const nothing = {};

export const SOCKET_CONTRACTS: ChartContracts<SocketContext> = {
  where: 'test/model/socket.contracts.ts',
  actions: {
    spawnPeers: nothing,
    closePeer: nothing,
    tellPeers: nothing,
    // Links more (a start slice) can make a sick socket (or group) well again: the edges between
    // before and after the slice are emitted.
    countPeers: {
      assigns: (context, event) => (event.type === 'peer.add' ? added(context, addedIds(event)) : {}),
      emits: (context, event, _params, found) =>
        // A slice's groups, in the groups' order (none it creates can be degraded).
        event.type === 'peer.add' ? sickEdges(found, context, Object.keys(context.groups)) : null,
    },
    // link.sick: one escalated link more; link.healed: one fewer; each may cross degradedShare.
    countEscalated: {
      assigns: (context, event) =>
        event.type === 'link.sick' || event.type === 'link.healed'
          ? counts(context, linkIdOf(event), { escalated: event.type === 'link.sick' ? 1 : -1 })
          : {},
      emits: (context, event, _params, found) =>
        event.type === 'link.sick' || event.type === 'link.healed'
          ? sickEdges(found, context, [groupOfId(linkIdOf(event))])
          : null,
    },
    countReady: {
      assigns: (context, event) =>
        event.type === 'link.ready' ? counts(context, linkIdOf(event), { ready: 1 }) : {},
      // An edge: the count this action leaves is the first (1 ready) one (only open counts ready).
      emits: (context, event) => {
        if (event.type !== 'link.ready') return null;
        const out: SocketEmitted[] = [];
        if (context.ready === 1) out.push({ type: 'socket.up' });
        const group = memberGroup(context, linkIdOf(event));
        const members = group === null ? undefined : context.groups[group];
        if (group !== null && members?.ready === upAt(members)) out.push({ type: 'group.up', group });
        return out;
      },
    },
    // A single link ready while others are: one ready link more, nothing else moves, no edge.
    countOneMoreReady: {
      assigns: (context, event) => (event.type === 'link.ready' ? { ready: context.ready + 1 } : {}),
      emits: () => [],
    },
    // A single link unready while others stay ready: one ready link fewer, nothing else moves, no edge.
    countOneLessReady: {
      // A stray report at zero (never counted ready) leaves the count at zero.
      assigns: (context, event) =>
        event.type === 'link.unready' ? { ready: Math.max(0, context.ready - 1) } : {},
      emits: () => [],
    },
    countUnready: {
      // A stray or repeated report (the socket's or the group's ready count already zero) is ignored.
      assigns: (context, event) =>
        event.type === 'link.unready' && !stray(context, linkIdOf(event))
          ? counts(context, linkIdOf(event), { ready: -1 })
          : {},
      emits: (context, event, params, found) => {
        if (event.type !== 'link.unready' || !edges(params) || stray(found, linkIdOf(event))) return null;
        const out: SocketEmitted[] = [];
        if (context.ready === 0) out.push({ type: 'socket.down' });
        const group = memberGroup(context, linkIdOf(event));
        const members = group === null ? undefined : context.groups[group];
        if (group !== null && (members?.ready ?? 0) + 1 === upAt(members))
          out.push({ type: 'group.down', group });
        return out;
      },
    },
    // A link fewer can tip the share either way; a closing socket's links leave on purpose, so
    // only an open one (edges) announces it.
    countGone: {
      assigns: (context, event) =>
        event.type === 'link.closed' || event.type === 'link.failed'
          ? counts(context, linkIdOf(event), { peers: -1 })
          : {},
      emits: (context, event, params, found) =>
        (event.type === 'link.closed' || event.type === 'link.failed') && edges(params)
          ? sickEdges(found, context, [groupOfId(linkIdOf(event))])
          : null,
    },
    tellLinks: nothing,
    // group.add: the group's strategy and size over its counts (zero for a new group).
    addGroup: {
      assigns: (context, event) => {
        if (event.type !== 'group.add') return {};
        const e = event as EventObject & { group: string; strategy: GroupCount['strategy']; size: number };
        const current = context.groups[e.group] ?? NO_GROUP;
        return {
          groups: { ...context.groups, [e.group]: { ...current, strategy: e.strategy, size: e.size } },
        };
      },
    },
    // group.remove: the group has ended; its counts go.
    removeGroup: {
      assigns: (context, event) => {
        if (event.type !== 'group.remove') return {};
        const { [(event as EventObject & { group: string }).group]: _gone, ...rest } = context.groups;
        return { groups: rest };
      },
    },
    // A member lost: the group's strategy and the members restarted with it.
    announceGroupRestart: {
      emits: (context, event) => {
        if (event.type !== 'link.lost') return null;
        const linkId = linkIdOf(event);
        const group = groupOfId(linkId) ?? '';
        return {
          type: 'group.restart',
          group,
          strategy: context.groups[group]?.strategy ?? GROUP_STRATEGY_DEFAULT,
          cause: linkId,
          members: restartedWith(context, linkId),
        };
      },
    },
    setReconnect: {
      assigns: (_context, _event, params) => ({
        reconnectEnabled: (params as { enabled: boolean }).enabled,
      }),
    },
    // The last network signal: offline, or online / wake.
    setOnline: {
      assigns: (_context, _event, params) => ({ online: (params as { online: boolean }).online }),
    },
  },
  guards: {
    // Live links are counted, never below zero: none left is exactly zero.
    noPeersLeft: (context) => context.peers === 0,
    reconnectAllowed: (context) => context.reconnectEnabled,
    isOnline: (context) => context.online,
    // The first ready link of the socket (socket.up) or any group member's (group.up may follow).
    readyMayCrossEdge: (context, event) =>
      context.ready === 0 || memberGroup(context, linkIdOf(event)) !== null,
    // The last ready link of the socket (socket.down) or any group member's (group.down may follow).
    unreadyMayCrossEdge: (context, event) =>
      context.ready === 1 || memberGroup(context, linkIdOf(event)) !== null,
    // A member lost by itself (not restarted by its group) whose strategy restarts others.
    restartsGroup: (context, event) =>
      event.type === 'link.lost' &&
      (event as EventObject & { reason: { kind: string } }).reason.kind !== 'group' &&
      restartedWith(context, linkIdOf(event)).length > 0,
  },
  delays: { linger: (context) => context.lingerMs },
};

/** The context a socket must start with, from its input. */
export function initialSocketContext(input: SocketInput): SocketContext {
  return {
    lingerMs: input.lingerMs ?? LINGER_DEFAULT_MS,
    peers: 0,
    ready: 0,
    groups: {},
    reconnectEnabled: input.reconnectEnabled ?? true,
    online: true,
    escalated: 0,
    degraded: false,
    degradedShare: input.degradedShare ?? DEGRADED_SHARE_DEFAULT,
  };
}
