/**
 * The backoff schedule end to end: supervisor + connection chart + memory transport, under the
 * simulated clock. Every attempt's clock time is recorded by a transport wrapper (the moment the
 * runtime asks the transport to connect), and cross-checked with the server's own count.
 * Every loop is bounded in steps; no real time passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKOFF_DEFAULTS,
  type BackoffOptions,
  initialBackoffState,
  nextDelay,
} from '../../machines/policy/backoff.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { seedRandom } from '../../machines/policy/random.js';
import {
  createSupervisor,
  type Link,
  type LinkvisorError,
  type Supervisor,
  type SupervisorOptions,
} from '../../src/index.js';
import { createMemoryNetwork, type MemoryServer, settle, TestClock } from '../../src/testing/index.js';
import { closeOnClock } from '../helpers/clock-run.js';
import { recordingConnects } from '../helpers/connect-times.js';

const URL = 'mem://svc';

interface Recorded {
  delays: number[];
  attempts: number[];
  reasons: Reason[];
  failed: Reason[];
  ready: number[];
  errors: LinkvisorError[];
}

interface Rig {
  clock: TestClock;
  server: MemoryServer;
  supervisor: Supervisor;
  link: Link;
  /** Clock time of every connect the runtime started. */
  connects: number[];
  seen: Recorded;
}

const rigs: { supervisor: Supervisor; clock: TestClock }[] = [];

afterEach(async () => {
  // Closing drains within closeTimeoutMs of the simulated clock: drive it, bounded.
  for (const { supervisor, clock } of rigs.splice(0)) {
    await closeOnClock(supervisor, clock);
  }
});

/**
 * A supervisor (seed 1 unless `options.seed`) on a memory network under `clock`, one link to
 * `mem://svc` (seed `linkSeed` if given, else the supervisor's), and what the link reported.
 */
function rig(
  options: Omit<SupervisorOptions, 'transport' | 'clock'> = {},
  setup: (server: MemoryServer) => void = (server) => server.refuse(),
  clock: TestClock = new TestClock(),
  linkSeed?: number,
): Rig {
  const net = createMemoryNetwork({ clock, inProcess: false });
  const server = net.listen(URL);
  setup(server);
  const connects: number[] = [];
  const supervisor = createSupervisor({
    transport: recordingConnects(net.transport, clock, connects),
    clock,
    seed: 1,
    ...options,
  });
  rigs.push({ supervisor, clock });
  const link = supervisor.connect(URL, linkSeed === undefined ? {} : { seed: linkSeed });
  const seen: Recorded = { delays: [], attempts: [], reasons: [], failed: [], ready: [], errors: [] };
  link.on('reconnecting', (e) => {
    seen.delays.push(e.delayMs);
    seen.attempts.push(e.attempt);
    seen.reasons.push(e.reason);
  });
  link.on('failed', (e) => seen.failed.push(e.reason));
  link.on('ready', () => seen.ready.push(clock.now()));
  link.on('error', (e) => seen.errors.push(e));
  return { clock, server, supervisor, link, connects, seen };
}

/** Advances in steps of `stepMs` until `done()` or `maxMs` of clock time have passed. */
async function advanceUntil(clock: TestClock, done: () => boolean, maxMs: number, stepMs = 100) {
  await settle();
  for (let spent = 0; !done() && spent < maxMs; spent += stepMs) await clock.advance(stepMs);
  return done();
}

/** The first `n` delays of the policy `options` from a fresh schedule seeded with `seed`. */
function policySchedule(seed: number, options: BackoffOptions, n: number): number[] {
  let state = initialBackoffState(seedRandom(seed));
  const delays: number[] = [];
  for (let i = 0; i < n; i++) {
    const next = nextDelay(state, options);
    delays.push(next.delayMs);
    state = next.state;
  }
  return delays;
}

/** The gaps between successive connects. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe('backoff schedule under the simulated clock', () => {
  it("jitter 'none': the exact exponential schedule, capped", async () => {
    const r = rig({ backoff: { jitter: 'none', initialDelayMs: 1000, multiplier: 2, maxDelayMs: 30_000 } });
    expect(await advanceUntil(r.clock, () => r.connects.length >= 9, 200_000, 500)).toBe(true);
    expect(r.seen.delays.slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(r.seen.attempts.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.connects.slice(0, 9)).toEqual([0, 1000, 3000, 7000, 15000, 31000, 61000, 91000, 121000]);
    expect(r.server.attempts).toBe(r.connects.length);
    expect(r.seen.reasons.every((reason) => reason.errorCode === 'ECONNREFUSED')).toBe(true);
    expect(r.link.status()).toMatchObject({ state: 'reconnecting', nextDelayMs: 30_000 });
  });

  it("jitter 'full': each delay within [0, base(n)], and the attempts follow the delays", async () => {
    const run = async (seed: number) => {
      const r = rig({ backoff: { jitter: 'full' } }, undefined, undefined, seed);
      expect(await advanceUntil(r.clock, () => r.connects.length >= 9, 300_000, 250)).toBe(true);
      return r;
    };
    const r = await run(1);
    const bases = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
    const delays = r.seen.delays.slice(0, 8);
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(bases[i]!);
    });
    expect(gaps(r.connects.slice(0, 9))).toEqual(delays);
    // The same seed replays the same schedule; another seed gives another one.
    expect((await run(1)).seen.delays.slice(0, 8)).toEqual(delays);
    expect((await run(2)).seen.delays.slice(0, 8)).not.toEqual(delays);
    // The schedule is the policy's, draw for draw.
    expect(delays).toEqual(policySchedule(1, { ...BACKOFF_DEFAULTS, jitter: 'full' }, 8));
  });

  it("the supervisor's seed: link n gets seed + n (reproducible fleets)", async () => {
    const r = rig({ seed: 100, backoff: { jitter: 'full' } });
    const second = r.supervisor.connect(URL);
    const secondDelays: number[] = [];
    second.on('reconnecting', (e) => secondDelays.push(e.delayMs));
    const both = () => secondDelays.length >= 4 && r.seen.delays.length >= 4;
    expect(await advanceUntil(r.clock, both, 60_000)).toBe(true);
    expect([r.link.id, second.id]).toEqual(['link:1', 'link:2']);
    const policy = { ...BACKOFF_DEFAULTS, jitter: 'full' as const };
    expect(r.seen.delays.slice(0, 4)).toEqual(policySchedule(101, policy, 4));
    expect(secondDelays.slice(0, 4)).toEqual(policySchedule(102, policy, 4));
  });

  it('a server that accepts and drops at once does not reset the backoff', async () => {
    const r = rig({ backoff: { jitter: 'none', stableAfterMs: 5_000 } }, (server) =>
      server.onConnection((peer) => peer.terminate()),
    );
    expect(await advanceUntil(r.clock, () => r.seen.delays.length >= 5, 60_000)).toBe(true);
    expect(r.seen.delays.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    // It did get to ready every time: the link was up, just never for stableAfterMs.
    expect(r.seen.ready.length).toBeGreaterThanOrEqual(5);
    expect(r.server.accepted).toBe(r.connects.length);
  });

  it('a link that stays ready for stableAfterMs starts again at the initial delay', async () => {
    const backoff = { jitter: 'none' as const, stableAfterMs: 5_000 };
    const growThenAccept = (readyForMs: number) => async () => {
      const r = rig({ backoff });
      expect(await advanceUntil(r.clock, () => r.seen.delays.length >= 3, 20_000)).toBe(true);
      expect(r.seen.delays).toEqual([1000, 2000, 4000]);
      r.server.accept();
      expect(await advanceUntil(r.clock, () => r.link.state === 'ready', 10_000)).toBe(true);
      await r.clock.advance(readyForMs);
      expect(r.link.state).toBe('ready');
      r.server.dropAll(1006);
      await settle();
      expect(r.link.state).toBe('reconnecting');
      return r;
    };
    const stable = await growThenAccept(5_000)();
    expect(stable.seen.delays[3]).toBe(1000);
    expect(stable.link.status().attempt).toBe(1);

    const shaky = await growThenAccept(4_999)();
    expect(shaky.seen.delays[3]).toBe(8000);
    expect(shaky.link.status().attempt).toBe(4);
  });

  it('maxAttempts 3: failed with gave-up after exactly 3 retries', async () => {
    const r = rig({ backoff: { jitter: 'none', maxAttempts: 3 } });
    expect(await advanceUntil(r.clock, () => r.link.state === 'failed', 60_000)).toBe(true);
    expect(r.seen.delays).toEqual([1000, 2000, 4000]);
    expect(r.connects).toEqual([0, 1000, 3000, 7000]);
    expect(r.server.attempts).toBe(4);
    expect(r.seen.failed).toHaveLength(1);
    expect(r.seen.failed[0]?.kind).toBe('gave-up');
    expect(r.link.status().failure?.kind).toBe('gave-up');
    await r.link.ended();
    await r.clock.advance(600_000);
    expect(r.server.attempts).toBe(4);
    expect(r.clock.pending).toBe(0);
  });

  it('a custom backoff function is used: (attempt) => attempt * 100', async () => {
    const r = rig({ backoff: (attempt: number) => attempt * 100 });
    expect(await advanceUntil(r.clock, () => r.connects.length >= 6, 5_000, 10)).toBe(true);
    expect(r.seen.delays.slice(0, 5)).toEqual([100, 200, 300, 400, 500]);
    expect(r.connects.slice(0, 6)).toEqual([0, 100, 300, 600, 1000, 1500]);
    expect(r.seen.errors).toEqual([]);
  });

  it.each([
    ['NaN', () => Number.NaN],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['a negative number', () => -5],
    ['a string', () => '100' as unknown as number],
    [
      'a throw',
      () => {
        throw new Error('boom');
      },
    ],
    // An async function: its promise is not a delay, and its rejection is handled (it went unhandled).
    ['a promise (async)', (async () => 100) as unknown as () => number],
    [
      "an object whose 'then' getter throws",
      (() => ({
        // biome-ignore lint/suspicious/noThenProperty: a hostile answer, a thenable that cannot be read
        get then() {
          throw new Error('then');
        },
      })) as unknown as () => number,
    ],
    [
      'a promise that rejects',
      (async () => {
        throw new Error('async boom');
      }) as unknown as () => number,
    ],
  ])(
    'a backoff function returning %s: error LV_ERR_INVALID_DELAY, the policy delay is used',
    async (_label, fn) => {
      const r = rig({ backoff: fn }, undefined, undefined, 2);
      expect(await advanceUntil(r.clock, () => r.seen.delays.length >= 3, 120_000)).toBe(true);
      // The policy's (default) schedule, draw for draw, from the link's seed.
      const expected = policySchedule(2, BACKOFF_DEFAULTS, 3);
      expect(r.seen.delays.slice(0, 3)).toEqual(expected);
      expect(gaps(r.connects.slice(0, 3))).toEqual(expected.slice(0, 2));
      expect(r.seen.errors.length).toBeGreaterThanOrEqual(3);
      for (const error of r.seen.errors) {
        expect(error.code).toBe('LV_ERR_INVALID_DELAY');
        expect(error.option).toBe('backoff');
      }
    },
  );

  it('close() while reconnecting: no further attempt however far the clock goes, no timer left', async () => {
    const r = rig({ backoff: { jitter: 'none' } });
    expect(await advanceUntil(r.clock, () => r.seen.delays.length >= 3, 20_000)).toBe(true);
    expect(r.link.state).toBe('reconnecting');
    const before = r.server.attempts;
    await r.link.close();
    expect(r.link.state).toBe('closed');
    expect(r.clock.pending).toBe(0);
    for (let i = 0; i < 20; i++) await r.clock.advance(60_000);
    expect(r.server.attempts).toBe(before);
    expect(r.connects).toHaveLength(before);
    expect(r.seen.delays).toHaveLength(3);
    expect(r.clock.pending).toBe(0);
  });

  it("the supervisor's close() while reconnecting stops every link and every timer", async () => {
    const r = rig({ backoff: { jitter: 'none' } });
    const other = r.supervisor.connect(URL);
    expect(await advanceUntil(r.clock, () => r.seen.delays.length >= 2, 20_000)).toBe(true);
    await r.supervisor.close();
    expect([r.link.state, other.state]).toEqual(['closed', 'closed']);
    const before = r.server.attempts;
    await r.clock.advance(600_000);
    expect(r.server.attempts).toBe(before);
    expect(r.clock.pending).toBe(0);
  });
});

// ─── Laptop sleep: the wire's overdue check ─────────────────────────────────────────────────

/**
 * A TestClock whose `now()` can jump without firing timers: what a process sees right after a
 * laptop wakes up, before the suspended timers have run. (TestClock itself has no such API: its
 * only way to move time is `advance()`, which fires everything due on the way.)
 */
class SleepyClock extends TestClock {
  private skewMs = 0;

  override now(): number {
    return super.now() + this.skewMs;
  }

  /** Wall time jumps by `ms`; no timer fires. */
  sleep(ms: number): void {
    this.skewMs += ms;
  }
}

describe('laptop sleep: send() after the clock jumped checks the peer at once', () => {
  const heartbeat = { intervalMs: 1_000, timeoutMs: 500 };
  const stateOf = (link: Link) => link.actor.getSnapshot().value;

  async function readyRig() {
    const clock = new SleepyClock();
    const r = rig({ heartbeat, backoff: { jitter: 'none' } }, () => {}, clock);
    expect(await advanceUntil(clock, () => r.link.state === 'ready', 1_000, 10)).toBe(true);
    return { ...r, clock };
  }

  it('a peer that never answered a ping: an immediate ping, sends go on', async () => {
    const r = await readyRig();
    expect(r.link.send('before')).toBe('sent');
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'beating' } });

    // Within interval + 2 × timeout of the last ping (here: of ready): no check.
    r.clock.sleep(2_000);
    expect(r.link.send('still fine')).toBe('sent');
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'beating' } });

    r.clock.sleep(1);
    expect(r.link.send('after sleep')).toBe('sent');
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'awaitingPong' } });
    // The memory peer answers: back to beating.
    await settle();
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'beating' } });
    expect(r.link.status().rttMs).toBe(0);
    expect(r.server.peers[0]?.received).toEqual(['before', 'still fine', 'after sleep']);
  });

  it('a peer that answers pings: sends are held until it answers, then flushed in order', async () => {
    const r = await readyRig();
    await r.clock.advance(1_000); // one heartbeat round: the peer answers
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'beating' } });
    r.clock.sleep(10_000);
    expect(r.link.send('a')).toBe('queued');
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'awaitingPong' } });
    expect(r.link.send('b')).toBe('queued');
    await settle();
    expect(stateOf(r.link)).toEqual({ attempt: { ready: 'beating' } });
    expect(r.link.send('c')).toBe('sent');
    await settle();
    expect(r.server.peers[0]?.received).toEqual(['a', 'b', 'c']);
  });

  it('a peer gone during the sleep is declared lost after one heartbeat timeout, not an interval later', async () => {
    const r = await readyRig();
    await r.clock.advance(1_000); // pongSeen
    const lostAt: number[] = [];
    r.link.on('lost', () => lostAt.push(TestClock.prototype.now.call(r.clock)));
    r.server.stopPongs();
    const sleptAt = TestClock.prototype.now.call(r.clock);
    r.clock.sleep(60_000);
    expect(r.link.send('held')).toBe('queued');
    // The timeout, then the grace turn's 0 ms timer, which Node (and the TestClock) fires 1 ms later.
    await r.clock.advance(heartbeat.timeoutMs + 1);
    expect(lostAt).toEqual([sleptAt + heartbeat.timeoutMs + 1]);
    expect(r.link.state).toBe('reconnecting');
    // The held message goes out once, on the next socket.
    r.server.resumePongs();
    expect(await advanceUntil(r.clock, () => r.link.state === 'ready', 5_000, 10)).toBe(true);
    await settle();
    expect(r.server.peers).toHaveLength(1);
    expect(r.server.peers[0]?.received).toEqual(['held']);
  });
});

describe('laptop sleep: a slow peer (pongs later than timeoutMs) with maxMissed > 1', () => {
  it('messages held by the overdue check are not held for ever', async () => {
    const clock = new SleepyClock();
    const r = rig(
      { heartbeat: { intervalMs: 1_000, timeoutMs: 500, maxMissed: 3 }, backoff: { jitter: 'none' } },
      () => {},
      clock,
    );
    expect(await advanceUntil(clock, () => r.link.state === 'ready', 1_000, 10)).toBe(true);
    await clock.advance(1_000); // one prompt pong: the peer speaks the protocol
    expect(r.link.actor.getSnapshot().context.pongSeen).toBe(true);
    // The path gets slow: a pong now takes 600 ms (> timeoutMs), within maxMissed tolerance.
    r.server.setLatency(300);
    clock.sleep(10_000);
    expect(r.link.send('held')).toBe('queued');
    await advanceUntil(clock, () => (r.server.peers[0]?.received.length ?? 0) > 0, 20_000, 50);
    expect(r.link.state).toBe('ready');
    expect(r.server.peers[0]?.received).toEqual(['held']);
  });
});
