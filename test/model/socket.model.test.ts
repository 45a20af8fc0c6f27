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
import { type LinkStateName, linkStateName } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { createSupervisor, type Link } from '../../src/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { ChartStepRecorder, checkChartStep, stepStart } from '../../src/testing/chart-step-check.js';
import {
  createMemoryNetwork,
  type MemoryPeer,
  type PendingConnection,
  settle,
  TestClock,
} from '../../src/testing/index.js';
import { initialSocketContext, SOCKET_CONTRACTS } from './socket.contracts.js';
import { type GroupAction, type GroupWorld, groupModel, runGroupPath } from './socket-group-model.js';
import { mustFire, type SocketSnapshot, socketOf } from './socket-model-fixtures.js';
import {
  COOL_DOWN_MS,
  coveringSocketPaths,
  ESCALATES,
  endGroup,
  LINGER_MS,
  PEERS,
  type PeerId,
  type PeerState,
  RETRY_MS,
  STABLE_AFTER_MS,
  STABLE_MS,
  type WorldPath,
  worldKey,
} from './socket-peer-model.js';

const coverage = new ChartCoverage([socketMachine]);

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
