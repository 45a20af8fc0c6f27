/**
 * Restart intensity end to end: supervisor + connection chart + memory transport under the
 * simulated clock. The server flaps (accepts, holds 6 s — past stableAfterMs, so the backoff resets
 * every time — drops, forever); the link escalates within the window, its cool-down grows, `fail`
 * ends it with reason kind `intensity`, `false` never escalates, and a supervisor default applies
 * to its links unless a link says otherwise. Loops are bounded in simulated time; no real time passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reason } from '../../machines/policy/close-reason.js';
import { createSupervisor, type Link, type LinkOptions, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, type MemoryServer, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock as run } from '../helpers/clock-run.js';

const URL = 'mem://flappy';
const HOLD_MS = 6_000;

interface Flapping {
  clock: TestClock;
  server: MemoryServer;
  supervisor: Supervisor;
  link: Link;
  drops: number[];
  /** Clock time of every loss of the ready link. */
  lost: number[];
  /** Every escalation: when, which, how long. */
  escalated: { at: number; escalation: number; delayMs: number; reason: Reason }[];
  states: string[];
  failed: Reason[];
}

const open: Flapping[] = [];

afterEach(async () => {
  for (const { supervisor, clock, drops } of open.splice(0)) {
    await closeOnClock(supervisor, clock);
    for (const drop of drops) clock.clearTimeout(drop);
    expect(clock.pending).toBe(0);
  }
});

function flapping(defaults: LinkOptions = {}, own: LinkOptions = {}): Flapping {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  const server = network.listen(URL);
  // The test's own timers, cleared at teardown (the link's must be gone by themselves).
  const drops: number[] = [];
  // Accept, hold 6 s, drop without a close frame — forever.
  server.onConnection((peer) => {
    drops.push(clock.setTimeout(() => peer.terminate(), HOLD_MS));
  });
  const supervisor = createSupervisor({ transport: network.transport, clock, seed: 7, ...defaults });
  const link = supervisor.connect(URL, { id: 'flappy', ...own });
  const rig: Flapping = {
    clock,
    server,
    supervisor,
    link,
    drops,
    lost: [],
    escalated: [],
    states: [],
    failed: [],
  };
  link.on('lost', () => rig.lost.push(clock.now()));
  link.on('escalated', (e) => rig.escalated.push({ at: clock.now(), ...e }));
  link.on('state', ({ to }) => rig.states.push(to));
  link.on('failed', ({ reason }) => rig.failed.push(reason));
  open.push(rig);
  return rig;
}

describe('restart intensity', () => {
  it('a flapping link escalates within the window, cools down, and the cool-down grows', async () => {
    const rig = flapping();
    await run(rig.clock, 20 * 60_000, () => rig.escalated.length >= 3);
    expect(rig.escalated.length).toBe(3);
    const [first, second, third] = rig.escalated as [
      Flapping['escalated'][number],
      Flapping['escalated'][number],
      Flapping['escalated'][number],
    ];
    // The 6th loss within a minute escalates (more than maxRestarts 5 within withinMs 60 s).
    const before = rig.lost.filter((at) => at <= first.at);
    expect(before.length).toBe(6);
    expect(first.at - (before[0] as number)).toBeLessThanOrEqual(60_000);
    expect(first.reason.kind).toBe('close');
    // 30 s × n, shortened by at most 20 %.
    expect([first.escalation, second.escalation, third.escalation]).toEqual([1, 2, 3]);
    expect(first.delayMs).toBeGreaterThanOrEqual(24_000);
    expect(first.delayMs).toBeLessThanOrEqual(30_000);
    expect(second.delayMs).toBeGreaterThanOrEqual(48_000);
    expect(second.delayMs).toBeLessThanOrEqual(60_000);
    expect(third.delayMs).toBeGreaterThanOrEqual(72_000);
    expect(third.delayMs).toBeLessThanOrEqual(90_000);
    // No attempt during a cool-down: the first loss after it comes a connect plus a hold later.
    const after = rig.lost.find((at) => at > first.at) as number;
    expect(after - first.at).toBeGreaterThanOrEqual(first.delayMs + HOLD_MS);
    expect(rig.states).toContain('coolingDown');
  });

  it('reports the cool-down in state events and status', async () => {
    const rig = flapping();
    const changes: { to: string; delayMs?: number; reason?: Reason }[] = [];
    rig.link.on('state', (change) => changes.push(change));
    await run(rig.clock, 5 * 60_000, () => rig.link.state === 'coolingDown');
    expect(rig.link.state).toBe('coolingDown');
    const change = changes.at(-1);
    expect(change?.to).toBe('coolingDown');
    expect(change?.delayMs).toBe(rig.escalated[0]?.delayMs);
    expect(change?.reason?.kind).toBe('close');
    expect(rig.link.status()).toMatchObject({ state: 'coolingDown', nextDelayMs: rig.escalated[0]?.delayMs });
  });

  it("then: 'fail' ends the link as failed with reason kind intensity", async () => {
    // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
    const rig = flapping({}, { intensity: { maxRestarts: 2, then: 'fail' } });
    await run(rig.clock, 5 * 60_000, () => rig.failed.length > 0);
    expect(rig.link.state).toBe('failed');
    expect(rig.lost.length).toBe(3);
    expect(rig.failed[0]?.kind).toBe('intensity');
    expect(rig.failed[0]?.message).toMatch(/more than 2 restarts within 60000 ms; last reason: /);
    expect(rig.escalated).toEqual([]);
  });

  it('intensity: false never escalates', async () => {
    const rig = flapping({}, { intensity: false });
    await run(rig.clock, 5 * 60_000);
    expect(rig.lost.length).toBeGreaterThan(20);
    expect(rig.escalated).toEqual([]);
    expect(rig.states).not.toContain('coolingDown');
  });

  it('the supervisor default applies to its links; a link overrides it key by key', async () => {
    const rig = flapping(
      { intensity: { maxRestarts: 1, coolDownMs: 5_000 } },
      { intensity: { withinMs: 30_000 } },
    );
    await run(rig.clock, 5 * 60_000, () => rig.escalated.length > 0);
    expect(rig.lost.filter((at) => at <= (rig.escalated[0]?.at ?? 0)).length).toBe(2);
    expect(rig.escalated[0]?.delayMs).toBeLessThanOrEqual(5_000);
    expect(rig.escalated[0]?.delayMs).toBeGreaterThanOrEqual(4_000);
  });

  it('close() during a cool-down ends the link at once, leaving no timer', async () => {
    const rig = flapping();
    await run(rig.clock, 5 * 60_000, () => rig.link.state === 'coolingDown');
    await rig.link.close();
    expect(rig.link.state).toBe('closed');
  });

  it('bad intensity options name the option', () => {
    const supervisor = createSupervisor({ transport: createMemoryNetwork().transport });
    const bad: [unknown, RegExp][] = [
      [{ maxRestarts: -1 }, /intensity\.maxRestarts/],
      [{ maxRestarts: 1.5 }, /intensity\.maxRestarts/],
      [{ withinMs: Number.NaN }, /intensity\.withinMs/],
      // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
      [{ then: 'explode' }, /intensity\.then: must be one of cool-down, fail, got a string of 7 characters/],
      [{ coolDownMs: 10_000, maxCoolDownMs: 5_000 }, /intensity\.maxCoolDownMs/],
      [{ jitterRatio: 2 }, /intensity\.jitterRatio/],
      [{ maxRestart: 2 }, /intensity\.maxRestart: unknown option \(did you mean 'maxRestarts'\?\)/],
      ['often', /intensity: must be an object or false/],
    ];
    for (const [intensity, message] of bad) {
      expect(() => supervisor.connect(URL, { intensity } as never)).toThrow(message);
    }
    // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
    expect(() => createSupervisor({ intensity: { then: 'x' } } as never)).toThrow(/intensity\.then/);
    return supervisor.close();
  });
});
