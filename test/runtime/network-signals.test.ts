/**
 * Network signals end to end under the simulated clock (memory transport): `offline` stops every
 * attempt and probes ready links, `online` / `wake` bring waiting links back within the rejoin
 * jitter (0–1 s) whatever their backoff said, spread over that window; the reconnect switch keeps
 * its word; a heartbeat that sees time jump raises one `wake`. Loops are bounded in simulated time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, type MemoryServer, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';

const URL = 'mem://svc';
const SLOW = { backoff: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' as const } };

interface Rig {
  clock: TestClock;
  server: MemoryServer;
  supervisor: Supervisor;
  /** Clock time of every connection attempt the server saw. */
  attempts: number[];
}

const rigs: Rig[] = [];

afterEach(async () => {
  for (const { supervisor, clock } of rigs.splice(0)) {
    await closeOnClock(supervisor, clock);
    expect(clock.pending).toBe(0);
  }
});

function rig(options: Parameters<typeof createSupervisor>[0] = {}): Rig {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  const server = network.listen(URL);
  const attempts: number[] = [];
  server.onConnection(() => attempts.push(clock.now()));
  const supervisor = createSupervisor({
    transport: network.transport,
    clock,
    seed: 11,
    heartbeat: false,
    ...options,
  });
  const r = { clock, server, supervisor, attempts };
  rigs.push(r);
  return r;
}

/** 10 ms steps: the rejoin window is one second. */
const run = (clock: TestClock, ms: number, until?: () => boolean) => runClock(clock, ms, until, 10);

describe('network signals', () => {
  it('online: a link waiting 30 s for its backoff attempts within 1 s', async () => {
    const r = rig(SLOW);
    const link = r.supervisor.connect(URL, { id: 'a' });
    await run(r.clock, 100, () => link.state === 'ready');
    r.server.dropAll(1006);
    await run(r.clock, 100, () => link.state === 'reconnecting');
    expect(link.status().nextDelayMs).toBe(30_000);
    const at = r.clock.now();
    r.supervisor.signal('online');
    expect(link.state).toBe('rejoining');
    await run(r.clock, 1_500, () => link.state === 'ready');
    expect(link.state).toBe('ready');
    expect((r.attempts.at(-1) as number) - at).toBeLessThanOrEqual(1_000);
  });

  it('offline: no attempt until online; ready links are probed at once', async () => {
    const r = rig({ backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' } });
    const pinged = r.supervisor.connect(URL, {
      id: 'p',
      heartbeat: { intervalMs: 60_000, timeoutMs: 5_000 },
    });
    const link = r.supervisor.connect(URL, { id: 'a' });
    await run(r.clock, 100, () => link.state === 'ready' && pinged.state === 'ready');
    expect(pinged.status().rttMs).toBeNull();
    r.supervisor.signal('offline');
    expect(r.supervisor.online).toBe(false);
    expect(r.supervisor.status().online).toBe(false);
    await run(r.clock, 20);
    // Its heartbeat interval is a minute: only the probe can have measured a round trip.
    expect(pinged.status().rttMs).not.toBeNull();
    const before = r.attempts.length;
    r.server.dropAll(1006);
    await run(r.clock, 60_000);
    expect(r.attempts.length).toBe(before);
    expect(link.state).toBe('suspended');
    // setReconnect(true) while offline does not bring it back: the network is still gone.
    r.supervisor.setReconnect(true);
    await run(r.clock, 1_000);
    expect(link.state).toBe('suspended');
    r.supervisor.signal('online');
    await run(r.clock, 1_500, () => link.state === 'ready');
    expect(link.state).toBe('ready');
  });

  it('online does not override setReconnect(false)', async () => {
    const r = rig(SLOW);
    const link = r.supervisor.connect(URL, { id: 'a' });
    await run(r.clock, 100, () => link.state === 'ready');
    r.supervisor.setReconnect(false);
    r.server.dropAll(1006);
    await run(r.clock, 100);
    r.supervisor.signal('online');
    await run(r.clock, 2_000);
    expect(link.state).toBe('suspended');
  });

  it('1,000 links on online spread their attempts over the jitter window (no 100 ms slice above 20 %)', async () => {
    const r = rig(SLOW);
    const links = Array.from({ length: 1_000 }, (_, i) => r.supervisor.connect(URL, { id: `l${i}` }));
    // connect() starts a thousand links in slices between macrotasks (src/runtime/start-queue.ts).
    for (let i = 0; i < 10_000 && !links.every((l) => l.state === 'ready'); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await r.clock.advance(1);
    }
    expect(links.filter((l) => l.state === 'ready').length).toBe(1_000);
    r.server.dropAll(1006);
    await run(r.clock, 100, () => links.every((l) => l.state === 'reconnecting'));
    expect(links.filter((l) => l.state === 'reconnecting').length).toBe(1_000);
    const at = r.clock.now();
    const seen = r.attempts.length;
    r.supervisor.signal('online');
    await run(r.clock, 1_500, () => links.every((l) => l.state === 'ready'));
    const offsets = r.attempts.slice(seen).map((t) => t - at);
    expect(offsets.length).toBe(1_000);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(1_000);
    const slices = new Array(11).fill(0);
    for (const offset of offsets) slices[Math.min(10, Math.floor(offset / 100))]++;
    expect(Math.max(...slices)).toBeLessThanOrEqual(200);
  });

  it('a heartbeat that sees time jump raises one wake: waiting links come back', async () => {
    const r = rig({ ...SLOW, heartbeat: { intervalMs: 1_000, timeoutMs: 500 } });
    const ready = r.supervisor.connect(URL, { id: 'ready' });
    const waiting = r.supervisor.connect('mem://nowhere', { id: 'waiting' });
    await run(r.clock, 200, () => ready.state === 'ready' && waiting.state === 'reconnecting');
    expect(waiting.state).toBe('reconnecting');
    r.clock.jump(60_000);
    ready.send('after sleep');
    await run(r.clock, 20);
    expect(waiting.state).toBe('rejoining');
  });

  it('a bad signal names the option', () => {
    const r = rig();
    expect(() => r.supervisor.signal('sleep' as never)).toThrow(
      /signal: must be 'offline', 'online' or 'wake'/,
    );
    expect(() => createSupervisor({ networkSignals: 'yes' as never })).toThrow(/networkSignals/);
  });
});
