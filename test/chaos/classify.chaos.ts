/**
 * Every way an attempt can end, through the proxy, and the action the close table classifies it
 * to: every close code of the policy table, HTTP statuses on the upgrade (401, 403, 429 with
 * Retry-After, 503), a TCP reset in the middle of the upgrade, a stalled upgrade and a stalled
 * application handshake. Fatal ones fail the link with the real code or status and make ZERO
 * further attempts for twice the backoff cap; so do rejected credentials (verdict `refresh`) when
 * the URL is a fixed string, since nothing could fetch fresh ones; with a per-attempt URL function
 * a rejection is retried once, at once, and the second consecutive one is fatal. The others retry
 * (a Retry-After hint is a floor under the next delay).
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import {
  CLOSE_CODE_VERDICTS,
  classifyCloseCode,
  classifyHttpStatus,
} from '../../machines/policy/close-reason.js';
import type { Link, Reason } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { rejectUpgrade } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { CHAOS, linkUrl } from './probes.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'classified actions';
const QUIET_MS = 2 * CHAOS.backoff.maxDelayMs;
/** CHAOS with a connect and handshake timeout no loaded host reaches, for the scenarios that count
 * what the server's answer makes of an attempt: CHAOS's 1,000 ms connect timeout fired before the
 * upgrade of one of 20 links at load 12–17 (a fatal code's link then reconnected on a `timeout`
 * reason, not its code). The product's timeouts are not changed; the stalled scenario keeps CHAOS's
 * (their firing is what it judges). */
const UNTIMED = { ...CHAOS, connectTimeoutMs: 30_000, handshakeTimeoutMs: 30_000 } as const;
/**
 * Codes a server can send in a close frame: the table's rows (1005 = a close frame without a
 * code, 1006 = no close frame at all) and application codes. 1015 is the one row no peer can
 * send: it is reserved for a TLS failure reported locally (ws refuses to send or accept it).
 */
const CODES = [
  ...Object.keys(CLOSE_CODE_VERDICTS)
    .map(Number)
    .filter((c) => c !== 1015),
  4000,
  4401,
  4999,
];

function closeWith(ws: WebSocket, code: number): void {
  if (code === 1005) ws.close();
  else if (code === 1006) ws.terminate();
  else ws.close(code, 'chaos');
}

interface Watched {
  link: Link;
  reasons: Reason[];
  failed: Reason | null;
}

function watch(link: Link): Watched {
  const w: Watched = { link, reasons: [], failed: null };
  link.on('reconnecting', ({ reason }) => w.reasons.push(reason));
  link.on('failed', ({ reason }) => {
    w.failed = reason;
  });
  return w;
}

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  it(`every close code of the policy table (${CODES.length} codes): fatal → failed and 0 attempts in ${QUIET_MS} ms; others → reconnect`, async () => {
    const upgrades = new Map<number, number>();
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const code = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('link'));
        upgrades.set(code, (upgrades.get(code) ?? 0) + 1);
        closeWith(ws, code);
      },
    });
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    const supervisor = h.supervisor({ ...UNTIMED, heartbeat: false, seed: 8 });
    const watched = new Map(
      CODES.map((code) => [
        code,
        watch(supervisor.connect(linkUrl(proxy.url(), code), { id: String(code) })),
      ]),
    );
    // A fixed URL cannot bring fresh credentials: a rejection (refresh) ends the link like fatal.
    const ends = (code: number) => ['fatal', 'refresh'].includes(classifyCloseCode(code));
    const fatal = CODES.filter(ends);
    const retried = CODES.filter((code) => !ends(code));
    await waitFor(
      () =>
        fatal.every((code) => watched.get(code)?.failed) &&
        retried.every((code) => (upgrades.get(code) ?? 0) >= 2),
      { message: 'every fatal code failed and every other code retried', timeoutMs: 60_000 },
    );
    const before = new Map(fatal.map((code) => [code, upgrades.get(code) ?? 0]));
    await sleep(QUIET_MS);

    for (const code of fatal) {
      const w = watched.get(code) as Watched;
      expect(w.failed, String(code)).toMatchObject({ kind: 'close', code });
      expect(w.reasons, String(code)).toEqual([]);
      expect(upgrades.get(code), String(code)).toBe(1);
      expect(upgrades.get(code), String(code)).toBe(before.get(code));
    }
    for (const code of retried) {
      const w = watched.get(code) as Watched;
      expect(w.failed, String(code)).toBeNull();
      expect(w.reasons[0], String(code)).toMatchObject({ kind: 'close', code });
    }
    figure(
      SCENARIO,
      'fatal close codes → failed, attempts after',
      `${fatal.join(' ')} → 0 (refresh without a per-attempt URL: ${fatal.filter((c) => classifyCloseCode(c) === 'refresh').join(' ')})`,
      `= 0 in ${QUIET_MS} ms`,
    );
    figure(SCENARIO, 'other close codes → reconnecting', retried.join(' '));
    figure(SCENARIO, '1015 (TLS failure, local only)', 'not sendable by a peer: not run');
  });

  it(`HTTP 401 / 403 on the upgrade → failed, 0 attempts in ${QUIET_MS} ms; 429 with Retry-After: 1 and 503 → retried, no sooner than the hint`, async () => {
    const times = new Map<number, number[]>();
    const server = await h.upgradeServer((request, socket) => {
      const status = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('link'));
      times.set(status, [...(times.get(status) ?? []), performance.now()]);
      const headers = status === 429 ? ['Retry-After: 1'] : [];
      rejectUpgrade(socket, status, 'chaos', headers);
    });
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    const supervisor = h.supervisor({ ...UNTIMED, heartbeat: false, seed: 9 });
    const statuses = [401, 403, 429, 503];
    const watched = new Map(
      statuses.map((status) => [
        status,
        watch(supervisor.connect(linkUrl(proxy.url(), status), { id: String(status) })),
      ]),
    );
    await waitFor(
      () =>
        [401, 403].every((s) => watched.get(s)?.failed) &&
        [429, 503].every((s) => (times.get(s)?.length ?? 0) >= 2),
      { message: 'fatal statuses failed, the others retried', timeoutMs: 10_000 },
    );
    await sleep(QUIET_MS);

    expect(classifyHttpStatus(401)).toBe('refresh');
    expect(classifyHttpStatus(403)).toBe('fatal');
    for (const status of [401, 403]) {
      expect(watched.get(status)?.failed).toMatchObject({ kind: 'http', status });
      expect(times.get(status)).toHaveLength(1);
    }
    const retry = watched.get(429) as Watched;
    expect(retry.reasons[0]).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 1_000 });
    const gaps429 = gapsOf(times.get(429) ?? []);
    for (const gap of gaps429) expect(gap).toBeGreaterThanOrEqual(1_000 - 5);
    expect(watched.get(503)?.reasons[0]).toMatchObject({ kind: 'http', status: 503 });
    expect(watched.get(503)?.failed).toBeNull();
    figure(SCENARIO, 'HTTP 401, 403 → failed, attempts after', '0, 0', `= 0 in ${QUIET_MS} ms`);
    figure(
      SCENARIO,
      'HTTP 429 + Retry-After: 1 → gaps between attempts (ms)',
      gaps429.map((g) => g.toFixed(0)).join(', '),
      '≥ 1000',
    );
    figure(SCENARIO, 'HTTP 503 → attempts meanwhile', times.get(503)?.length ?? 0, '≥ 2');
  });

  it('rejected credentials with a per-attempt URL: retried once at once with lastReason, fatal on the second consecutive rejection', async () => {
    const times: number[] = [];
    const server = await h.upgradeServer((_request, socket) => {
      times.push(performance.now());
      rejectUpgrade(socket, 401, 'chaos');
    });
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    const supervisor = h.supervisor({ ...UNTIMED, heartbeat: false, seed: 11 });
    const seen: (Reason | null)[] = [];
    const w = watch(
      supervisor.connect(
        ({ lastReason }) => {
          seen.push(lastReason);
          return linkUrl(proxy.url(), `token-${seen.length}`);
        },
        { id: 'refresh' },
      ),
    );
    await waitFor(() => w.failed !== null, { message: 'the second rejection fails the link' });
    await sleep(QUIET_MS);

    expect(w.failed).toMatchObject({ kind: 'http', status: 401 });
    expect(times).toHaveLength(2);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeNull();
    expect(seen[1]).toMatchObject({ kind: 'http', status: 401 });
    // "At once" (no backoff delay) is pinned by the chart's model tests; here a generous bound.
    const gap = (times[1] as number) - (times[0] as number);
    expect(gap).toBeLessThan(CHAOS.backoff.initialDelayMs * 10);
    figure(SCENARIO, 'HTTP 401 with a per-attempt URL → attempts, then', '2 (1 refresh), failed', '= 2');
    figure(SCENARIO, 'HTTP 401 → refresh attempt after (ms)', gap.toFixed(0));
  });

  it('RST in the middle of the upgrade (after the request, instead of the 101): retried as ECONNRESET, ready once it stops', async () => {
    const server = await h.wsServer();
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    proxy.resetOn('response');
    const supervisor = h.supervisor({ ...UNTIMED, heartbeat: false, seed: 10 });
    const w = watch(supervisor.connect(linkUrl(proxy.url(), 'rst'), { id: 'rst' }));
    await waitFor(() => w.reasons.length >= 3, { message: 'three reset attempts', timeoutMs: 10_000 });
    proxy.resetOn('none');
    await w.link.ready();
    expect(w.failed).toBeNull();
    expect(new Set(w.reasons.map((r) => r.errorCode))).toEqual(new Set(['ECONNRESET']));
    expect(server.upgrades).toBeGreaterThanOrEqual(4);
    figure(
      SCENARIO,
      'RST mid-upgrade → reconnecting (reason)',
      `${w.reasons.length} × ECONNRESET, then ready`,
    );
  });

  it('stalled upgrade (the 101 never comes) and stalled application handshake (no ack): connect / handshake timeout, retried, ready once it moves', async () => {
    const acks = { on: false };
    const server = await h.wsServer({
      onConnection: (ws) =>
        ws.on('message', (data) => {
          if (String(data) === 'hello' && acks.on) ws.send('welcome');
        }),
    });
    const upgradeProxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => upgradeProxy.stop());
    upgradeProxy.blackhole('down');
    const handshakeProxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => handshakeProxy.stop());
    const supervisor = h.supervisor({ ...CHAOS, heartbeat: false, seed: 12 });
    const upgrade = watch(supervisor.connect(linkUrl(upgradeProxy.url(), 'upgrade'), { id: 'upgrade' }));
    const handshake = watch(
      supervisor.connect(linkUrl(handshakeProxy.url(), 'handshake'), {
        id: 'handshake',
        handshake: async (session) => {
          session.send('hello');
          if ((await session.next()) !== 'welcome') throw new Error('unexpected handshake answer');
        },
      }),
    );
    await waitFor(() => upgrade.reasons.length >= 2 && handshake.reasons.length >= 2, {
      message: 'two timed-out attempts each',
      timeoutMs: 10_000,
    });
    upgradeProxy.heal();
    acks.on = true;
    await Promise.all([upgrade.link.ready(), handshake.link.ready()]);

    // The chart's connect timeout and ws's handshakeTimeout are the same number: either may fire.
    for (const reason of upgrade.reasons) {
      const chart = reason.kind === 'timeout' && reason.phase === 'connect';
      const ws = reason.kind === 'error' && /handshake has timed out/i.test(reason.message);
      expect(chart || ws, JSON.stringify(reason)).toBe(true);
    }
    for (const reason of handshake.reasons)
      expect(reason).toMatchObject({ kind: 'timeout', phase: 'handshake' });
    expect(upgrade.failed).toBeNull();
    expect(handshake.failed).toBeNull();
    figure(
      SCENARIO,
      'stalled upgrade → reconnecting',
      `${upgrade.reasons.length} × connect timeout, then ready`,
    );
    figure(
      SCENARIO,
      'stalled app handshake → reconnecting',
      `${handshake.reasons.length} × handshake timeout, then ready`,
    );
  });
});

function gapsOf(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] as number));
}
