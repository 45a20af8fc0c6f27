/**
 * The socket chart tests the runtime. The model is the socket chart itself (pure `transition`)
 * plus a small abstraction of each peer's lifecycle, so that the generated events are runtime
 * actions with known consequences: "accept a's connection" is `link.ready` from a, "remove a
 * while ready" is `peer.remove` then `link.unready` (a drains), "close the supervisor" is
 * `socket.close` then each link's report in link order. Paths through every node of the graph
 * (state, switches, peers, incoming edge), as covering walks (src/testing/covering-walks.ts: 206
 * paths and 3,290 steps where the shortest paths to every node were 1,269 and 10,206), run against
 * a real supervisor on the memory network with a simulated clock; at every step the socket actor's
 * state and counts, and every link's state, must match. The test asserts the rules the walks are
 * chosen by: every node is a step of some path, and every socket state with every combination of
 * peer states that is not final ends some path (the teardown and no-timer-left check there). A second,
 * smaller model connects a group of two members with each strategy (one-for-one, one-for-all,
 * rest-for-one) and drops members: the members the chart restarts must leave ready and attempt at
 * once, the others keep their state, and the group is up exactly when its strategy says. A gate
 * then fails if any state or transition of the socket chart was not exercised by the runtime.
 */
import { describe, expect, it } from 'vitest';
import { fromTransition, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { getAdjacencyMap, TestModel } from 'xstate/graph';
import { type LinkStateName, linkStateName } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { GROUP_STRATEGIES, type GroupStrategy, readyToBeUp } from '../../machines/policy/group.js';
import { groupRestartTargets, type SocketEvent, socketMachine } from '../../machines/socket.machine.js';
import { createSupervisor, type Link, type LinkGroup, type Supervisor } from '../../src/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { ChartStepRecorder, checkChartStep, stepStart } from '../../src/testing/chart-step-check.js';
import { coveringWalks } from '../../src/testing/covering-walks.js';
import {
  createMemoryNetwork,
  type MemoryPeer,
  type PendingConnection,
  settle,
  TestClock,
} from '../../src/testing/index.js';
import { initialSocketContext, SOCKET_CONTRACTS } from './socket.contracts.js';

type SocketSnapshot = SnapshotFrom<typeof socketMachine>;
type PeerState =
  | 'connecting'
  | 'ready'
  | 'reconnecting'
  | 'suspended'
  | 'coolingDown'
  | 'rejoining'
  | 'closing';
const PEERS = ['a', 'g/0'] as const;
type PeerId = (typeof PEERS)[number];
const LINGER_MS = 3001;
const RETRY_MS: Record<PeerId, number> = { a: 3002, 'g/0': 3003 };
/** Peer `a` escalates on every loss of its ready link (restart intensity, maxRestarts 0): it cools
 * down for COOL_DOWN_MS and is sick until it has been ready for STABLE_MS. `g/0` never escalates. */
const ESCALATES: PeerId = 'a';
const COOL_DOWN_MS = 3005;
const STABLE_MS = 3004;
/** Each peer's `stableAfterMs`: a distinct delay each (TestClock.fire takes a timer by its delay),
 * so that `stable` fires a's, never g/0's (which the model never fires: it never escalates). */
const STABLE_AFTER_MS: Record<PeerId, number> = { a: STABLE_MS, 'g/0': 3006 };

interface World {
  socket: SocketSnapshot;
  peers: Partial<Record<PeerId, PeerState>>;
  /** Peers escalated and not stable again. */
  sick: Partial<Record<PeerId, true>>;
}

type Action =
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

/** The supervisor's socket actor's snapshot (private to the supervisor; the model reads it). */
function socketOf(supervisor: Supervisor): SocketSnapshot {
  return (supervisor as unknown as { socket: { getSnapshot(): SocketSnapshot } }).socket.getSnapshot();
}

/** Fires the pending timer of `delayMs` on the test clock, or fails naming `what`. */
async function mustFire(clock: TestClock, delayMs: number, what: string): Promise<void> {
  if (!(await clock.fire(delayMs))) throw new Error(`no ${what}`);
}

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
function worldKey(world: World, action: Action | undefined, previous: World | undefined): string {
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
const endGroup = (world: World) => JSON.stringify([world.socket.value, world.peers, world.sick]);

/** One path of the model: its steps, the first the start (its event unused). */
interface WorldPath {
  steps: { event: Action; state: { context: World } }[];
}

/**
 * Paths through every node of the model's graph (src/testing/covering-walks.ts): each walk goes on
 * through nodes no walk has taken yet, instead of one shortest path per node replaying its prefix
 * on a fresh supervisor (1,269 paths, 10,206 steps). Each step is taken with the model's own
 * `apply` from where the walk is (a planned action the world does not offer ends the walk).
 */
function coveringSocketPaths(): { paths: WorldPath[]; keys: string[] } {
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

const coverage = new ChartCoverage([socketMachine]);

// ─── Groups: a second, smaller model ──────────────────────────────────────────────────────────
//
// One group of two members (`link:g/0`, `link:g/1`, each on its own memory server so that every
// held attempt has a known owner), connected with a strategy. A drop of a ready member is reported
// as the runtime does (unready, then lost); the chart decides which members restart
// (groupRestartTargets): each of them that is ready leaves ready, reports its loss with reason
// kind `group` (which the chart must ignore) and attempts at once.

const MEMBERS = [0, 1] as const;
type Member = (typeof MEMBERS)[number];
type MemberState = 'connecting' | 'ready' | 'reconnecting';
const MEMBER_RETRY_MS = 3_101;

interface GroupWorld {
  socket: SocketSnapshot;
  strategy: GroupStrategy | null;
  members: Partial<Record<Member, MemberState>>;
  /** Members waiting for their retry, the earliest first: the clock fires their timers in that
   * order (the same delay for both). */
  waiting: Member[];
}

type GroupAction =
  | { type: 'connectGroup'; strategy: GroupStrategy }
  | { type: 'accept' | 'drop' | 'retry'; member: Member };

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
  const out: GroupAction[] = [];
  for (const member of MEMBERS) {
    const state = world.members[member];
    if (state === 'connecting') out.push({ type: 'accept', member });
    if (state === 'ready') out.push({ type: 'drop', member });
  }
  const next = world.waiting[0];
  if (next !== undefined) out.push({ type: 'retry', member: next });
  return out;
}

const groupModel = new TestModel(
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

async function runGroupPath(
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
      'member' in s.event ? `${s.event.type}(${s.event.member})` : `${s.event.type}(${s.event.strategy})`,
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

const STATE_OF: Record<PeerState, LinkStateName> = {
  connecting: 'connecting',
  ready: 'ready',
  reconnecting: 'reconnecting',
  suspended: 'suspended',
  coolingDown: 'coolingDown',
  rejoining: 'rejoining',
  closing: 'closing',
};

describe.sequential('socket chart: generated paths against the supervisor', () => {
  // Paths are generated inside the test, not while the file is collected: what runs outside a
  // test is "static" to Stryker, and a static mutant re-runs every test file (mutation testing).
  it('runs every generated path against a real supervisor', async () => {
    const { paths, keys } = coveringSocketPaths();
    expect(paths.length).toBeGreaterThan(20);
    // The rules the paths are chosen by: every node of the graph is a step of some path…
    const taken = new Set(
      paths.flatMap((p) =>
        p.steps.map((s, i) =>
          worldKey(s.state.context, i === 0 ? undefined : s.event, p.steps[i - 1]?.state.context),
        ),
      ),
    );
    expect(keys.filter((key) => !taken.has(key))).toEqual([]);
    // …and every state of the socket and its peers that is not final ends some path.
    const live = new Set(
      paths.flatMap((p) =>
        p.steps.filter((s) => s.state.context.socket.status !== 'done').map((s) => endGroup(s.state.context)),
      ),
    );
    const ends = new Set(
      paths.map((p) => endGroup((p.steps.at(-1) as WorldPath['steps'][number]).state.context)),
    );
    expect([...live].filter((group) => !ends.has(group))).toEqual([]);
    for (const path of paths) {
      const clock = new TestClock();
      const network = createMemoryNetwork({ clock, inProcess: false });
      const server = network.listen('mem://m');
      server.hold();
      server.holdCloses();
      const recorder = new ChartStepRecorder(null, socketMachine);
      const supervisor = createSupervisor({
        transport: network.transport,
        clock,
        inspect: (event) => {
          recorder.observer(event);
          coverage.observer(event);
        },
        lingerMs: LINGER_MS,
        heartbeat: false,
      });
      let previous: SocketSnapshot | null = null;
      const links = new Map<PeerId, Link>();
      const sockets = new Map<PeerId, MemoryPeer>();
      const description = path.steps
        .slice(1)
        .map((s) => ('peer' in s.event ? `${s.event.type}(${s.event.peer})` : s.event.type))
        .join(' → ');
      // Held attempts carry no link id: each is tagged with its link when it appears.
      const owners = new Map<PendingConnection, PeerId>();
      const pending = (peer: PeerId) => server.pending.find((p) => owners.get(p) === peer);
      const tagNew = (peer: PeerId, before: readonly PendingConnection[]) => {
        for (const p of server.pending) if (!before.includes(p)) owners.set(p, peer);
      };
      try {
        await settle();
        for (const [index, step] of path.steps.entries()) {
          const action = step.event;
          if (index > 0) {
            recorder.begin();
            switch (action.type) {
              case 'connect': {
                const before = [...server.pending];
                const backoffMs = RETRY_MS[action.peer];
                links.set(
                  action.peer,
                  supervisor.connect('mem://m', {
                    id: action.peer,
                    backoff: {
                      initialDelayMs: backoffMs,
                      maxDelayMs: backoffMs,
                      multiplier: 1,
                      jitter: 'none',
                      stableAfterMs: STABLE_AFTER_MS[action.peer],
                    },
                    // No jitter: the rejoin after online / wake is a 0 ms timer the model fires.
                    network: { rejoinJitterMs: 0 },
                    intensity:
                      action.peer === ESCALATES
                        ? {
                            maxRestarts: 0,
                            coolDownMs: COOL_DOWN_MS,
                            maxCoolDownMs: COOL_DOWN_MS,
                            jitterRatio: 0,
                          }
                        : false,
                  }),
                );
                await settle();
                tagNew(action.peer, before);
                break;
              }
              case 'accept': {
                const accepted = pending(action.peer)?.accept();
                if (!accepted) throw new Error(`no pending attempt of ${action.peer} (${description})`);
                sockets.set(action.peer, accepted);
                break;
              }
              case 'refuse':
                pending(action.peer)?.refuse({ status: 403 });
                break;
              case 'drop':
                sockets.get(action.peer)?.terminate();
                break;
              case 'retry': {
                const before = [...server.pending];
                await mustFire(clock, RETRY_MS[action.peer], `retry timer (${description})`);
                tagNew(action.peer, before);
                break;
              }
              case 'remove':
                void links.get(action.peer)?.close();
                break;
              case 'closed': {
                const socket = sockets.get(action.peer);
                if (!socket || server.completeCloses(socket) === 0) {
                  throw new Error(`no held close of ${action.peer} (${description})`);
                }
                break;
              }
              case 'setReconnect':
                supervisor.setReconnect(action.enabled);
                break;
              case 'signal':
                supervisor.signal(action.kind);
                break;
              case 'rejoin': {
                // One timer at a time: the link that left rejoining owns the new attempt.
                for (;;) {
                  const waiting = PEERS.filter((p) => links.get(p)?.state === 'rejoining');
                  if (waiting.length === 0) break;
                  const before = [...server.pending];
                  await mustFire(clock, 0, `rejoin timer (${description})`);
                  const moved = waiting.find((p) => links.get(p)?.state !== 'rejoining');
                  if (moved) tagNew(moved, before);
                }
                break;
              }
              case 'close':
                void supervisor.close();
                break;
              case 'terminate':
                void supervisor.terminate();
                break;
              case 'linger':
                await mustFire(clock, LINGER_MS, `linger timer (${description})`);
                break;
              case 'coolOff': {
                const before = [...server.pending];
                await mustFire(clock, COOL_DOWN_MS, `cool-down timer (${description})`);
                tagNew(action.peer, before);
                break;
              }
              case 'stable':
                await mustFire(clock, STABLE_MS, `stable timer (${description})`);
                break;
            }
            await settle();
          }
          const expected = step.state.context;
          const actual = socketOf(supervisor);
          const where = `after step ${index} of: ${description || '(start)'}`;
          expect(actual.value, where).toEqual(expected.socket.value);
          // What the step did: against the chart's declarations and the socket's contracts.
          const socketInput = { lingerMs: LINGER_MS };
          const before = previous ? previous.context : initialSocketContext(socketInput);
          const { problems } = checkChartStep({
            machine: socketMachine,
            contracts: SOCKET_CONTRACTS,
            start: stepStart(previous, socketInput),
            before,
            after: actual.context,
            expectedValue: expected.socket.value,
            hasParent: false,
            record: recorder.end(),
          });
          if (problems.length > 0) throw new Error(`${where}:\n  ${problems.join('\n  ')}`);
          previous = actual;
          expect(
            {
              peers: actual.context.peers,
              ready: actual.context.ready,
              groups: actual.context.groups,
              reconnect: actual.context.reconnectEnabled,
              escalated: actual.context.escalated,
              degraded: actual.context.degraded,
            },
            where,
          ).toEqual({
            peers: expected.socket.context.peers,
            ready: expected.socket.context.ready,
            groups: expected.socket.context.groups,
            reconnect: expected.socket.context.reconnectEnabled,
            escalated: expected.socket.context.escalated,
            degraded: expected.socket.context.degraded,
          });
          for (const peer of PEERS) {
            const want = expected.peers[peer];
            const link = links.get(peer);
            if (want)
              expect(link && linkStateName(link.actor.getSnapshot().value), `${peer} ${where}`).toBe(
                STATE_OF[want],
              );
            else if (link) expect(['closed', 'failed'], `${peer} ${where}`).toContain(link.state);
          }
        }
      } finally {
        void supervisor.terminate();
        server.completeCloses();
        await settle();
      }
      expect(clock.pending, description).toBe(0);
    }
  });

  describe.sequential('groups and their strategies', () => {
    const paths = groupModel.getShortestPaths() as unknown as {
      steps: { event: GroupAction; state: { context: GroupWorld } }[];
    }[];

    it(`runs ${paths.length} group paths against a real supervisor`, async () => {
      expect(paths.length).toBeGreaterThan(20);
      for (const path of paths) await runGroupPath(path.steps, coverage);
    });
  });

  it('covers every state and transition of the socket chart', () => {
    console.log('socket chart coverage by the runtime:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
