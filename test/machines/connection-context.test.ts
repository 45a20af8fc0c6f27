/**
 * A link's initial context (machines/connection-context.ts): the input over the policy defaults,
 * field by field, and one shared frozen policy per distinct set of numbers.
 */
import { describe, expect, it } from 'vitest';
import { createConnectionContext, resolvePolicy } from '../../machines/connection-context.js';
import { BACKOFF_DEFAULTS } from '../../machines/policy/backoff.js';
import { HEARTBEAT_DEFAULTS } from '../../machines/policy/heartbeat.js';
import { INTENSITY_DEFAULTS } from '../../machines/policy/intensity.js';
import { NETWORK_DEFAULTS } from '../../machines/policy/network.js';
import { nextRandom, seedRandom } from '../../machines/policy/random.js';
import { RESUME_DEFAULTS } from '../../machines/policy/resume.js';
import { TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';

describe('resolvePolicy', () => {
  it('no options: every default, unlimited attempts as MAX_SAFE_INTEGER, no resume, no per-attempt', () => {
    expect(resolvePolicy({})).toEqual({
      backoff: { ...BACKOFF_DEFAULTS, maxAttempts: Number.MAX_SAFE_INTEGER },
      timeouts: TIMEOUT_DEFAULTS,
      heartbeat: HEARTBEAT_DEFAULTS,
      resume: null,
      intensity: INTENSITY_DEFAULTS,
      perAttempt: false,
      network: NETWORK_DEFAULTS,
      inProcess: false,
      hasHandshake: false,
      autoConnect: true,
      reports: null,
    });
  });

  it('options over the defaults; intensity false is off; resume takes its timeout or the default', () => {
    const policy = resolvePolicy({
      backoff: { initialDelayMs: 7, maxAttempts: 4 },
      timeouts: { connectTimeoutMs: 8 },
      heartbeat: { intervalMs: 9 },
      intensity: false,
      perAttempt: true,
      network: { rejoinJitterMs: 10 },
      resume: { resumeTimeoutMs: 11, ackDelayMs: 12 },
    });
    expect(policy).toEqual({
      backoff: { ...BACKOFF_DEFAULTS, initialDelayMs: 7, maxAttempts: 4 },
      timeouts: { ...TIMEOUT_DEFAULTS, connectTimeoutMs: 8 },
      heartbeat: { ...HEARTBEAT_DEFAULTS, intervalMs: 9 },
      resume: { resumeTimeoutMs: 11, ackDelayMs: 12 },
      intensity: null,
      perAttempt: true,
      network: { rejoinJitterMs: 10 },
      inProcess: false,
      hasHandshake: false,
      autoConnect: true,
      reports: null,
    });
    expect(resolvePolicy({ inProcess: true, hasHandshake: true, autoConnect: false })).toMatchObject({
      inProcess: true,
      hasHandshake: true,
      autoConnect: false,
    });
    expect(resolvePolicy({ resume: {} }).resume).toEqual({
      resumeTimeoutMs: RESUME_DEFAULTS.resumeTimeoutMs,
      ackDelayMs: RESUME_DEFAULTS.ackDelayMs,
    });
    expect(resolvePolicy({ intensity: { maxRestarts: 2 } }).intensity).toEqual({
      ...INTENSITY_DEFAULTS,
      maxRestarts: 2,
    });
  });

  it('the reports the parent takes: every one by default (null), or the list given, frozen and shared', () => {
    const given = ['link.ready', 'link.unready'] as const;
    const policy = resolvePolicy({ reports: given });
    expect(policy.reports).toEqual(given);
    expect(Object.isFrozen(policy.reports)).toBe(true);
    // A copy: the caller's array may change later without changing the link's.
    expect(policy.reports).not.toBe(given);
    expect(resolvePolicy({ reports: ['link.ready', 'link.unready'] })).toBe(policy);
    expect(resolvePolicy({ reports: ['link.ready'] })).not.toBe(policy);
    expect(resolvePolicy({}).reports).toBeNull();
    // An empty list is a parent that takes no report at all, not every one.
    expect(resolvePolicy({ reports: [] }).reports).toEqual([]);
    // Frozen inputs that differ in their reports alone (the socket chart's two lists) are two policies.
    const backoff = Object.freeze({ initialDelayMs: 321 });
    const single = Object.freeze(['link.ready'] as const);
    const member = Object.freeze(['link.ready', 'link.lost'] as const);
    expect(resolvePolicy({ backoff, reports: single }).reports).toEqual(single);
    expect(resolvePolicy({ backoff, reports: member }).reports).toEqual(member);
    expect(resolvePolicy({ backoff, reports: single }).reports).toEqual(single);
  });

  it('frozen, and one shared object per distinct set of numbers', () => {
    const a = resolvePolicy({ backoff: { initialDelayMs: 123 } });
    expect(Object.isFrozen(a)).toBe(true);
    for (const part of [a.backoff, a.timeouts, a.heartbeat, a.intensity, a.network]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(Object.isFrozen(resolvePolicy({ resume: {} }).resume)).toBe(true);
    // Equal numbers in new objects: the same policy; other numbers: another.
    expect(resolvePolicy({ backoff: { initialDelayMs: 123 } })).toBe(a);
    expect(resolvePolicy({ timeouts: {}, backoff: { initialDelayMs: 123 } })).toBe(a);
    expect(resolvePolicy({ backoff: { initialDelayMs: 124 } })).not.toBe(a);
  });

  it('the last frozen input is recognised by identity; a changed or unfrozen one is resolved again', () => {
    const backoff = Object.freeze({ initialDelayMs: 321 });
    const first = resolvePolicy({ backoff });
    expect(resolvePolicy({ backoff })).toBe(first);
    // Another frozen part in the same place: not the cached one.
    const other = Object.freeze({ initialDelayMs: 322 });
    expect(resolvePolicy({ backoff: other }).backoff.initialDelayMs).toBe(322);
    // An unfrozen part can change between links: its numbers are read again.
    const mutable = { initialDelayMs: 400 };
    expect(resolvePolicy({ backoff: mutable }).backoff.initialDelayMs).toBe(400);
    mutable.initialDelayMs = 401;
    expect(resolvePolicy({ backoff: mutable }).backoff.initialDelayMs).toBe(401);
    // Every part is compared: the same backoff with a changed timeouts part is another policy.
    const timeouts = Object.freeze({ connectTimeoutMs: 55 });
    expect(resolvePolicy({ backoff, timeouts }).timeouts.connectTimeoutMs).toBe(55);
    for (const [key, part, read] of [
      [
        'heartbeat',
        Object.freeze({ intervalMs: 56 }),
        (p: ReturnType<typeof resolvePolicy>) => p.heartbeat.intervalMs,
      ],
      [
        'intensity',
        Object.freeze({ maxRestarts: 57 }),
        (p: ReturnType<typeof resolvePolicy>) => p.intensity?.maxRestarts,
      ],
      [
        'network',
        Object.freeze({ rejoinJitterMs: 58 }),
        (p: ReturnType<typeof resolvePolicy>) => p.network.rejoinJitterMs,
      ],
      [
        'resume',
        Object.freeze({ resumeTimeoutMs: 59 }),
        (p: ReturnType<typeof resolvePolicy>) => p.resume?.resumeTimeoutMs,
      ],
    ] as const) {
      resolvePolicy({ backoff });
      expect(read(resolvePolicy({ backoff, [key]: part }))).toBe(Number(Object.values(part)[0]));
    }
    resolvePolicy({ backoff });
    expect(resolvePolicy({ backoff, perAttempt: true }).perAttempt).toBe(true);
  });

  it('an input whose every part differs from the last one is resolved anew', () => {
    const parts = (n: number) => ({
      backoff: Object.freeze({ initialDelayMs: n }),
      timeouts: Object.freeze({ connectTimeoutMs: n }),
      heartbeat: Object.freeze({ intervalMs: n }),
      intensity: Object.freeze({ maxRestarts: n }),
      perAttempt: n % 2 === 0,
      network: Object.freeze({ rejoinJitterMs: n }),
      resume: Object.freeze({ resumeTimeoutMs: n }),
      inProcess: n % 2 === 0,
      hasHandshake: n % 2 === 1,
      autoConnect: n % 2 === 0,
      reports: Object.freeze(n % 2 === 0 ? ['link.ready' as const] : []),
    });
    expect(resolvePolicy(parts(601)).backoff.initialDelayMs).toBe(601);
    const second = resolvePolicy(parts(602));
    expect([
      second.backoff.initialDelayMs,
      second.timeouts.connectTimeoutMs,
      second.perAttempt,
      second.reports,
    ]).toEqual([602, 602, true, ['link.ready']]);
  });

  it('the fast path compares every part: a frozen input differing from the last in one part alone is another policy', () => {
    const base = {
      backoff: Object.freeze({ initialDelayMs: 701 }),
      timeouts: Object.freeze({ connectTimeoutMs: 701 }),
      heartbeat: Object.freeze({ intervalMs: 701 }),
      intensity: Object.freeze({ maxRestarts: 701 }),
      perAttempt: false,
      network: Object.freeze({ rejoinJitterMs: 701 }),
      resume: Object.freeze({ resumeTimeoutMs: 701 }),
      inProcess: false,
      hasHandshake: false,
      autoConnect: true,
      reports: Object.freeze(['link.ready' as const]),
    };
    const changed = {
      backoff: Object.freeze({ initialDelayMs: 702 }),
      timeouts: Object.freeze({ connectTimeoutMs: 702 }),
      heartbeat: Object.freeze({ intervalMs: 702 }),
      intensity: Object.freeze({ maxRestarts: 702 }),
      perAttempt: true,
      network: Object.freeze({ rejoinJitterMs: 702 }),
      resume: Object.freeze({ resumeTimeoutMs: 702 }),
      inProcess: true,
      hasHandshake: true,
      autoConnect: false,
      reports: Object.freeze(['link.lost' as const]),
    };
    const first = resolvePolicy(base);
    expect(resolvePolicy({ ...base })).toBe(first);
    for (const key of Object.keys(changed) as (keyof typeof changed)[]) {
      resolvePolicy(base);
      const other = resolvePolicy({ ...base, [key]: changed[key] });
      expect(other, key).not.toBe(first);
      expect(other, key).not.toEqual(first);
    }
    // The last input's parts are its own: a later input with a part left out is not taken for it.
    resolvePolicy(base);
    const { reports: _, ...withoutReports } = base;
    expect(resolvePolicy(withoutReports).reports).toBeNull();
  });

  it('keeps sharing bounded: after many distinct policies, an early one is made anew (equal, not the same)', () => {
    const early = resolvePolicy({ backoff: { initialDelayMs: 100_000 } });
    for (let i = 1; i <= 300; i++) resolvePolicy({ backoff: { initialDelayMs: 100_000 + i } });
    const again = resolvePolicy({ backoff: { initialDelayMs: 100_000 } });
    expect(again).toEqual(early);
    expect(again).not.toBe(early);
    // Within the bound, sharing holds.
    const kept = resolvePolicy({ backoff: { initialDelayMs: 100_250 } });
    for (let i = 0; i < 5; i++) resolvePolicy({ backoff: { initialDelayMs: 200_000 + i } });
    expect(resolvePolicy({ backoff: { initialDelayMs: 100_250 } })).toBe(kept);
  });
});

describe('createConnectionContext', () => {
  it('every field from the input or its default; the retry state seeded (0 by default)', () => {
    const parent = undefined;
    expect(createConnectionContext({ linkId: 'link:a', label: 'ws://a', parent })).toEqual({
      linkId: 'link:a',
      label: 'ws://a',
      parent: undefined,
      reconnectEnabled: true,
      policy: resolvePolicy({}),
      retry: { attempt: 0, previousDelayMs: 0, random: seedRandom(0) },
      nextDelayMs: null,
      reason: null,
      lastError: null,
      failure: null,
      missedPongs: 0,
      pongSeen: false,
      rttMs: null,
      pingOutstanding: false,
      stable: false,
      readyCount: 0,
    });
    const context = createConnectionContext({
      linkId: 'link:b',
      label: 'mem://b',
      autoConnect: false,
      reconnectEnabled: false,
      inProcess: true,
      hasHandshake: true,
      seed: 9,
    });
    expect(context).toMatchObject({
      reconnectEnabled: false,
      policy: { autoConnect: false, inProcess: true, hasHandshake: true },
      retry: { attempt: 0, previousDelayMs: 0, random: seedRandom(9) },
    });
    expect(nextRandom(context.retry.random)).toEqual(nextRandom(seedRandom(9)));
  });

  it('an input with its policy resolved keeps that policy and reads none of its parts', () => {
    const policy = resolvePolicy({ backoff: { initialDelayMs: 7 }, inProcess: true });
    const context = createConnectionContext({
      linkId: 'link:c',
      label: 'mem://c',
      policy,
      backoff: { initialDelayMs: 99 },
      inProcess: false,
    });
    expect(context.policy).toBe(policy);
    expect(context.policy).toMatchObject({ backoff: { initialDelayMs: 7 }, inProcess: true });
  });
});
