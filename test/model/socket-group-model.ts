/**
 * The second, smaller model of the socket chart's generated paths (socket.model.test.ts): one group
 * of two members (`link:g/0`, `link:g/1`, each on its own memory server so that every held attempt
 * has a known owner), connected with a strategy. A drop of a ready member is reported as the
 * runtime does (unready, then lost); the chart decides which members restart
 * (groupRestartTargets): each of them that is ready leaves ready, reports its loss with reason kind
 * `group` (which the chart must ignore) and attempts at once. `runGroupPath` runs one path against
 * a real supervisor and checks, at every step, the group's counts, each member's state and
 * whether the group is up.
 */
import { expect } from 'vitest';
import { fromTransition, initialTransition, transition } from 'xstate';
import { TestModel } from 'xstate/graph';
import { linkStateName } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { GROUP_STRATEGIES, type GroupStrategy, readyToBeUp } from '../../machines/policy/group.js';
import { groupRestartTargets, type SocketEvent, socketMachine } from '../../machines/socket.machine.js';
import { createSupervisor, type LinkGroup } from '../../src/index.js';
import type { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { createMemoryNetwork, type MemoryPeer, settle, TestClock } from '../../src/testing/index.js';
import { mustFire, type SocketSnapshot, socketOf } from './socket-model-fixtures.js';

const MEMBERS = [0, 1] as const;
type Member = (typeof MEMBERS)[number];
type MemberState = 'connecting' | 'ready' | 'reconnecting';
const MEMBER_RETRY_MS = 3_101;

export interface GroupWorld {
  socket: SocketSnapshot;
  strategy: GroupStrategy | null;
  members: Partial<Record<Member, MemberState>>;
  /** Members waiting for their retry, the earliest first: the clock fires their timers in that
   * order (the same delay for both). */
  waiting: Member[];
}

export type GroupAction =
  | { type: 'connectGroup'; strategy: GroupStrategy }
  | { type: 'accept' | 'drop' | 'retry'; member: Member }
  /** The application closes the group (`group.close()`): every member ends, the group is removed. */
  | { type: 'closeGroup' };

const memberId = (member: Member) => `link:g/${member}`;
const LOST: Reason = { kind: 'close', code: 1006, message: 'dropped' };

function applyGroup(world: GroupWorld, action: GroupAction): GroupWorld {
  const members = { ...world.members };
  let socket = world.socket;
  const send = (event: SocketEvent) => {
    [socket] = transition(socketMachine, socket, event);
  };
  switch (action.type) {
    case 'connectGroup':
      send({ type: 'group.add', group: 'g', strategy: action.strategy, size: MEMBERS.length });
      // The members start in one slice: they join the socket in one peer.add.
      for (const member of MEMBERS) members[member] = 'connecting';
      send({
        type: 'peer.add',
        inputs: MEMBERS.map((member) => ({ linkId: memberId(member), label: 'mem://g' })),
      });
      return { socket, strategy: action.strategy, members, waiting: [] };
    case 'closeGroup': {
      // Each member closes (a ready one leaves ready first); once all have ended, the supervisor
      // removes the group from the chart (group.remove).
      for (const member of MEMBERS) {
        const linkId = memberId(member);
        send({ type: 'peer.remove', linkId });
        if (members[member] === 'ready') send({ type: 'link.unready', linkId });
        send({ type: 'link.closed', linkId, reason: null });
      }
      send({ type: 'group.remove', group: 'g' });
      return { ...world, socket, members: {}, waiting: [] };
    }
    case 'accept':
      members[action.member] = 'ready';
      send({ type: 'link.ready', linkId: memberId(action.member), readyCount: 1 });
      return { ...world, socket, members };
    case 'retry':
      members[action.member] = 'connecting';
      return { ...world, socket, members, waiting: world.waiting.filter((m) => m !== action.member) };
    case 'drop': {
      const linkId = memberId(action.member);
      const targets = groupRestartTargets(socket.context, linkId);
      members[action.member] = 'reconnecting';
      send({ type: 'link.unready', linkId });
      send({ type: 'link.lost', linkId, reason: LOST });
      for (const target of targets) {
        const member = Number(target.slice(target.lastIndexOf('/') + 1)) as Member;
        if (members[member] !== 'ready') continue;
        members[member] = 'connecting';
        send({ type: 'link.unready', linkId: target });
        send({
          type: 'link.lost',
          linkId: target,
          reason: { kind: 'group', cause: linkId, message: `restarted with group g: ${linkId} was lost` },
        });
      }
      return { ...world, socket, members, waiting: [...world.waiting, action.member] };
    }
  }
}

function groupActions(world: GroupWorld): GroupAction[] {
  if (world.strategy === null)
    return GROUP_STRATEGIES.map((strategy) => ({ type: 'connectGroup', strategy }) as const);
  // Closed: nothing more happens to the group.
  if (Object.keys(world.members).length === 0) return [];
  const out: GroupAction[] = [{ type: 'closeGroup' }];
  for (const member of MEMBERS) {
    const state = world.members[member];
    if (state === 'connecting') out.push({ type: 'accept', member });
    if (state === 'ready') out.push({ type: 'drop', member });
  }
  const next = world.waiting[0];
  if (next !== undefined) out.push({ type: 'retry', member: next });
  return out;
}

export const groupModel = new TestModel(
  fromTransition((world: GroupWorld, action: GroupAction) => applyGroup(world, action), {
    socket: initialTransition(socketMachine, {})[0],
    strategy: null,
    members: {},
    waiting: [],
  } as GroupWorld) as never,
  {
    events: ((snapshot: { context: GroupWorld }) => groupActions(snapshot.context)) as never,
    serializeState: ((snapshot: { context: GroupWorld }, event: GroupAction | undefined) =>
      JSON.stringify([
        snapshot.context.strategy,
        snapshot.context.members,
        snapshot.context.waiting,
        snapshot.context.socket.context.groups,
        event ?? null,
      ])) as never,
  },
);

export async function runGroupPath(
  steps: { event: GroupAction; state: { context: GroupWorld } }[],
  chartCoverage: ChartCoverage,
): Promise<void> {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess: false });
  const servers = MEMBERS.map((member) => {
    const server = network.listen(`mem://g${member}`);
    server.hold();
    return server;
  });
  const supervisor = createSupervisor({
    transport: network.transport,
    clock,
    inspect: chartCoverage.observer,
    heartbeat: false,
    networkSignals: false,
    intensity: false,
    backoff: {
      initialDelayMs: MEMBER_RETRY_MS,
      maxDelayMs: MEMBER_RETRY_MS,
      multiplier: 1,
      jitter: 'none',
    },
  });
  const sockets = new Map<Member, MemoryPeer>();
  let group: LinkGroup | null = null;
  const description = steps
    .slice(1)
    .map((s) =>
      'member' in s.event
        ? `${s.event.type}(${s.event.member})`
        : 'strategy' in s.event
          ? `${s.event.type}(${s.event.strategy})`
          : s.event.type,
    )
    .join(' → ');
  try {
    await settle();
    for (const [index, step] of steps.entries()) {
      const action = step.event;
      if (index > 0) {
        switch (action.type) {
          case 'connectGroup':
            group = supervisor.connectGroup(
              MEMBERS.map((member) => `mem://g${member}`),
              { id: 'g', strategy: action.strategy },
            );
            break;
          case 'accept': {
            const accepted = servers[action.member]?.pending[0]?.accept();
            if (!accepted) throw new Error(`no pending attempt of member ${action.member} (${description})`);
            sockets.set(action.member, accepted);
            break;
          }
          case 'drop':
            sockets.get(action.member)?.terminate();
            break;
          case 'closeGroup':
            void group?.close();
            break;
          case 'retry':
            await mustFire(clock, MEMBER_RETRY_MS, `retry timer (${description})`);
            break;
        }
        await settle();
      }
      const expected = step.state.context;
      const actual = socketOf(supervisor);
      const where = `after step ${index} of: ${description || '(start)'}`;
      expect({ groups: actual.context.groups, ready: actual.context.ready }, where).toEqual({
        groups: expected.socket.context.groups,
        ready: expected.socket.context.ready,
      });
      for (const member of MEMBERS) {
        const want = expected.members[member];
        if (!want) continue;
        const link = group?.links[member];
        expect(link && linkStateName(link.actor.getSnapshot().value), `member ${member} ${where}`).toBe(want);
        // One attempt at a time per member: at most one held attempt on its server.
        expect(servers[member]?.pending.length ?? 0, `member ${member} ${where}`).toBe(
          want === 'connecting' ? 1 : 0,
        );
      }
      if (group && expected.strategy)
        expect(group.up, where).toBe(expected.socket.context.groups.g ? upOf(expected) : false);
    }
  } finally {
    void supervisor.terminate();
    await settle();
  }
  expect(clock.pending, description).toBe(0);
}

/** Whether the model's group is up: its strategy's share of ready members. */
function upOf(world: GroupWorld): boolean {
  const count = world.socket.context.groups.g;
  return count !== undefined && count.ready >= readyToBeUp(count.strategy, count.size);
}
