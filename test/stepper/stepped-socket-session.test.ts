/**
 * A whole supervisor session, once with its socket actor stepped (src/runtime/supervisor-socket.ts,
 * round 44) and once with XState stepping it (the same modules loaded again with `stepMachine`
 * the identity for the socket chart only), on the memory network and the simulated clock: every
 * inspection event of the socket actor an `inspect` observer sees, the session trace
 * (`recordSession`), the supervisor's `error` events and edges must be the same. The session
 * reaches what the chart-level walks do not: the runtime's own actions (a group's slice started
 * through `spawnPeers`, `peer.remove` through `closePeer`, a restart through `tellLinks`, the
 * reconnect switch and close through `tellPeers`), listeners that throw on the socket's edges, an
 * observer that throws on the socket's mid-step events and one that calls `setReconnect` from
 * inside the socket's step (the event is queued behind the step), and close's drain.
 */
import { describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';

// biome-ignore lint/suspicious/noExplicitAny: modules loaded twice, XState internals.
type Any = any;

const STEPPED = '../../src/stepper/stepped-machine.js';

async function load() {
  // One after the other: the modules of one load are one graph (the mock, if any, in it).
  const stepped = await import('../../src/stepper/stepped-machine.js');
  const index = await import('../../src/index.js');
  const testing = await import('../../src/testing/index.js');
  const record = await import('../../src/trace/record-session.js');
  return { ...index, ...testing, ...record, stepperStats: stepped.stepperStats };
}

async function session(m: Awaited<ReturnType<typeof load>>) {
  const clock = new m.TestClock(0);
  const network = m.createMemoryNetwork({ clock, inProcess: false });
  const [feed, s0, s1] = ['mem://feed', 'mem://g0', 'mem://g1'].map((url) => network.listen(url)) as Any[];
  const seen: unknown[] = [];
  let socket: unknown = null;
  let toggled = false;
  const inspect = (e: InspectionEvent) => {
    if (e.actorRef !== socket) return;
    const s: Any = (e as Any).snapshot;
    seen.push({
      type: e.type,
      event: (e as Any).event?.type,
      action: (e as Any).action,
      value: s?.value,
      status: s?.status,
      context: s?.context,
    });
    // Mid-step: the switch flipped from inside the socket's step (queued behind it).
    if (e.type === '@xstate.microstep' && (e as Any).event.type === 'link.ready' && !toggled) {
      toggled = true;
      supervisor.setReconnect(false);
      supervisor.setReconnect(true);
    }
    if (e.type === '@xstate.action' || e.type === '@xstate.microstep') throw new Error('observer broke');
  };
  const supervisor = m.createSupervisor({
    transport: network.transport,
    clock,
    seed: 7,
    inspect,
    lingerMs: 500,
  });
  socket = (supervisor as Any).socket;
  const recorder = m.recordSession(supervisor);
  const said: unknown[] = [];
  supervisor.on('error', (error: Any) => said.push(['error', error.code]));
  for (const edge of ['up', 'down', 'degraded', 'recovered'] as const)
    supervisor.on(edge, () => {
      said.push([edge]);
      throw new Error(`${edge} listener broke`);
    });
  const a = supervisor.connect('mem://feed', { id: 'feed' });
  const group = supervisor.connectGroup(['mem://g0', 'mem://g1'], { id: 'g', strategy: 'one-for-all' });
  group.on('up', () => {
    said.push(['group up']);
    throw new Error('group listener broke');
  });
  group.on('restart', (r: Any) => said.push(['restart', r]));
  await clock.advance(1_000);
  for (const peer of s0.peers) peer.terminate();
  await clock.advance(5_000);
  feed.dropAll();
  await clock.advance(5_000);
  a.close({ code: 4001, reason: 'done' });
  await clock.advance(1_000);
  s1.stopPongs();
  const closed = supervisor.close();
  await clock.advance(2_000);
  await closed;
  const trace = recorder.stop();
  const status = (socket as Any).getSnapshot().status;
  const stats = m.stepperStats((socket as Any).logic);
  return { seen, said, trace: trace.records, status, steps: stats?.steps ?? 0 };
}

/** As compared: an actor ref by its id (XState's session ids count on across the two loads). */
const shown = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v) =>
      v && typeof v === 'object' && 'sessionId' in v && 'send' in v ? `actor ${(v as Any).id}` : v,
    ),
  );

describe('a supervisor session: the stepped socket actor is the XState-stepped one, seen from outside', () => {
  it('the same inspection, trace, errors and edges; never an actor error state', async () => {
    vi.resetModules();
    const stepped = await session(await load());
    vi.resetModules();
    vi.doMock(STEPPED, async () => {
      const actual: Any = await vi.importActual(STEPPED);
      return {
        ...actual,
        stepMachine: (machine: Any) => (machine.id === 'socket' ? machine : actual.stepMachine(machine)),
      };
    });
    const plain = await session(await load());
    vi.doUnmock(STEPPED);
    vi.resetModules();
    expect(stepped.steps).toBeGreaterThan(10);
    expect(plain.steps).toBe(0);
    expect(stepped.status).toBe('done');
    expect(stepped.said).toContainEqual(['up']);
    expect(stepped.said.some((s: Any) => s[0] === 'restart')).toBe(true);
    const { steps: _a, ...mine } = stepped;
    const { steps: _b, ...theirs } = plain;
    expect(shown(mine)).toEqual(shown(theirs));
  }, 60_000);
});
