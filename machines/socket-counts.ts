/**
 * The socket chart's pure helpers: a link id's group (`link:<group>/<n>`) and index in it, the
 * members a lost one restarts, and the counting that its actions do — live, ready and escalated
 * links for the socket and per group, with the degraded / recovered edges a change of the counts
 * crosses. ./socket-setup.ts names the actions that call them; socket.machine.ts is the chart.
 * Pure: no I/O, timers, clock reads or randomness.
 */
import type { ConnectionInput } from './connection-types.js';
import { GROUP_STRATEGY_DEFAULT, readyToBeUp, restartTargets } from './policy/group.js';
import { isDegraded } from './policy/intensity.js';
import type { GroupCount, SocketContext, SocketEmitted } from './socket-types.js';

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

/** The counts of a group before any of its links is counted (`group.add` gives its strategy and size). */
export const NEW_GROUP = {
  peers: 0,
  ready: 0,
  escalated: 0,
  degraded: false,
  strategy: GROUP_STRATEGY_DEFAULT,
  size: 0,
} as const satisfies GroupCount;

/** A group member's group and its counts; undefined for a single link, whatever its id looks like:
 * a link is a member only of a group added (`group.add`) and not removed (`group.remove`). */
export function memberCountOf(
  context: SocketContext,
  linkId: string,
): { group: string; counts: GroupCount } | undefined {
  const group = groupOf(linkId);
  if (group === null) return undefined;
  const counts = context.groups[group];
  return counts && { group, counts };
}

/**
 * Whether a `link.unready` of `linkId` was never counted ready: the socket's ready count, or its
 * group's, is already zero (a stray report, or one repeated). With no per-peer record, the counts are
 * what the chart can tell; counting it would take them below zero and miss the next up edge.
 */
export function notCountedReady(context: SocketContext, linkId: string): boolean {
  const member = memberCountOf(context, linkId);
  return context.ready <= 0 || (member !== undefined && member.counts.ready <= 0);
}

/** Ready members a group needs to be up (one; all of a one-for-all group). */
export function upAt(count: GroupCount): number {
  return readyToBeUp(count.strategy, count.size);
}

type Delta = Partial<Record<'peers' | 'ready' | 'escalated', number>>;

function bump(
  groups: Record<string, GroupCount>,
  group: string | null,
  delta: Delta,
  share: number,
): Record<string, GroupCount> {
  // A link counts in a group only once the group was added (`group.add`, before its members
  // start): a single link whose id merely looks like a member's (`link:x/1`) counts in none.
  if (group === null) return groups;
  const current = groups[group];
  if (current === undefined) return groups;
  const peers = current.peers + (delta.peers ?? 0);
  const escalated = current.escalated + (delta.escalated ?? 0);
  const next = {
    ...current,
    peers,
    ready: current.ready + (delta.ready ?? 0),
    escalated,
    degraded: isDegraded(escalated, peers, share),
  };
  // Kept with no live member: members may still start (a slice cuts a big group); only
  // `group.remove` (the application's group has ended) forgets it.
  return { ...groups, [group]: next };
}

/** The groups without `group` (`group.remove`: every member ended and none is left to start). */
export function withoutGroup(groups: Record<string, GroupCount>, group: string): Record<string, GroupCount> {
  const copy = { ...groups };
  delete copy[group];
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
export function count(
  context: SocketContext,
  enqueue: Counter,
  linkId: string,
  delta: Delta,
  edges: boolean,
): void {
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
  // A single link's step changes no group's counts, so the null group's edges are none either way
  // (and a group name counted nowhere, as an array mutant would give, has no counts to edge from).
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: see above
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
export function countAdded(
  context: SocketContext,
  enqueue: Counter,
  inputs: readonly ConnectionInput[],
): void {
  let groups = context.groups;
  for (const { linkId } of inputs)
    groups = bump(groups, groupOf(linkId), { peers: 1 }, context.degradedShare);
  const peers = context.peers + inputs.length;
  const degraded = isDegraded(context.escalated, peers, context.degradedShare);
  enqueue.assign({ peers, degraded, groups });
  emitSickEdges(context, enqueue, degraded, groups, Object.keys(groups));
}
