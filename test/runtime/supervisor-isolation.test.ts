/**
 * Two supervisors in one process share the provided charts (made once in the process: the socket
 * chart's effects and the connection chart's implementations find their supervisor through the
 * actor they run in, ./src/runtime/supervisor-socket.ts and link-starter.ts), and nothing else:
 * each link runs on its own supervisor's clock, backoff function, shouldReconnect hook, inspection
 * observer and listeners, even with the same link id in both. Memory transport, simulated clocks;
 * every loop is bounded in simulated time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reason } from '../../machines/policy/close-reason.js';
import { createSupervisor, type Link, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';
import { recordingConnects } from '../helpers/connect-times.js';

const URL = 'mem://svc';

interface Side {
  clock: TestClock;
  supervisor: Supervisor;
  link: Link;
  /** Clock time of every connect the runtime started. */
  connects: number[];
  /** The attempts the backoff function was asked about. */
  backoffCalls: number[];
  /** The attempts shouldReconnect was asked about. */
  hookCalls: number[];
  /** The delays the link announced. */
  delays: number[];
  /** The actors the supervisor's inspection observer saw. */
  inspected: Set<unknown>;
  /** Link ids the supervisor's `link` event named. */
  created: string[];
}

const open: Side[] = [];

afterEach(async () => {
  for (const side of open.splice(0)) await closeOnClock(side.supervisor, side.clock);
});

/** A supervisor on a memory network that refuses every connect, under its own clock starting at
 * `startMs`, its link `link:same` retrying after `delayOf(attempt)` while `retries(attempt)`. */
function side(
  startMs: number,
  delayOf: (attempt: number) => number,
  retries: (attempt: number) => boolean,
): Side {
  const clock = new TestClock(startMs);
  const net = createMemoryNetwork({ clock, inProcess: false });
  net.listen(URL).refuse();
  const connects: number[] = [];
  const backoffCalls: number[] = [];
  const hookCalls: number[] = [];
  const inspected = new Set<unknown>();
  const created: string[] = [];
  const supervisor = createSupervisor({
    transport: recordingConnects(net.transport, clock, connects),
    clock,
    seed: 1,
    intensity: false,
    backoff: (attempt) => {
      backoffCalls.push(attempt);
      return delayOf(attempt);
    },
    shouldReconnect: (_reason: Reason, attempt: number) => {
      hookCalls.push(attempt);
      return retries(attempt);
    },
    inspect: (event) => {
      inspected.add(event.actorRef);
    },
  });
  supervisor.on('link', (link) => created.push(link.id));
  const link = supervisor.connect(URL, { id: 'same' });
  const delays: number[] = [];
  link.on('reconnecting', (event) => delays.push(event.delayMs));
  const made = { clock, supervisor, link, connects, backoffCalls, hookCalls, delays, inspected, created };
  open.push(made);
  return made;
}

describe('two supervisors in one process', () => {
  it('each link runs on its own supervisor’s clock, backoff function, hook, observer and listeners', async () => {
    const a = side(
      0,
      (attempt) => 100 * attempt,
      () => true,
    );
    const b = side(
      1_000_000,
      () => 7_000,
      (attempt) => attempt < 2,
    );
    await settle();
    expect([a.link.id, b.link.id]).toEqual(['link:same', 'link:same']);
    // Each first attempt was refused at once: one hook call and one planned delay each, its own.
    expect(a.connects).toEqual([0]);
    expect(b.connects).toEqual([1_000_000]);
    expect(a.delays).toEqual([100]);
    expect(b.delays).toEqual([7_000]);
    expect(a.hookCalls).toEqual([1]);
    expect(b.hookCalls).toEqual([1]);
    expect(a.supervisor.get('same')).toBe(a.link);
    expect(b.supervisor.get('same')).toBe(b.link);

    // A's clock moves: A's link retries on its schedule; B's link sees nothing of it.
    await runClock(a.clock, 2_000, () => a.connects.length >= 4, 10);
    expect(a.connects).toEqual([0, 100, 300, 600]);
    expect(a.delays).toEqual([100, 200, 300, 400]);
    expect(a.backoffCalls).toEqual([1, 2, 3, 4]);
    expect(a.hookCalls).toEqual([1, 2, 3, 4]);
    expect(b.connects).toEqual([1_000_000]);
    expect(b.backoffCalls).toEqual([1]);
    expect(b.hookCalls).toEqual([1]);
    expect(b.link.state).toBe('reconnecting');

    // B's clock moves: B's link retries once, then its own hook stops it; A's link goes on waiting.
    await runClock(b.clock, 10_000, () => b.link.state === 'failed', 100);
    expect(b.connects).toEqual([1_000_000, 1_007_000]);
    expect(b.hookCalls).toEqual([1, 2]);
    expect(b.link.state).toBe('failed');
    expect(a.link.state).toBe('reconnecting');
    expect(a.connects).toHaveLength(4);
    expect(a.hookCalls).toHaveLength(4);

    // Observers and listeners: each supervisor's own actors and links only.
    expect(a.inspected.size).toBeGreaterThan(0);
    expect([...a.inspected].filter((actor) => b.inspected.has(actor))).toEqual([]);
    expect(a.created).toEqual(['link:same']);
    expect(b.created).toEqual(['link:same']);
    // B's failed link has left B; A's is still A's.
    expect(b.supervisor.get('same')).toBeUndefined();
    expect(a.supervisor.get('same')).toBe(a.link);
  });

  it('closing one supervisor leaves the other’s links running', async () => {
    const a = side(
      0,
      () => 100,
      () => true,
    );
    const b = side(
      0,
      () => 100,
      () => true,
    );
    await settle();
    await closeOnClock(a.supervisor, a.clock);
    open.splice(open.indexOf(a), 1);
    expect(a.link.state).toBe('closed');
    await runClock(b.clock, 1_000, () => b.connects.length >= 3, 10);
    expect(b.connects).toEqual([0, 100, 200]);
    expect(b.link.state).toBe('reconnecting');
    // A later supervisor reuses nothing of a closed one's.
    const c = side(
      0,
      () => 50,
      () => true,
    );
    await settle();
    await runClock(c.clock, 1_000, () => c.connects.length >= 2, 10);
    expect(c.connects).toEqual([0, 50]);
  });
});
