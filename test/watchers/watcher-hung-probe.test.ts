/**
 * At most one probe in flight: a probe that ignores its AbortSignal (here an HTTP GET to a real
 * server on 127.0.0.1, port 0, that does not answer) stays pending after its timeout; the next
 * poll does not start another while it is pending — the watcher stays not ready, its lastError
 * saying why — and probes again as soon as it settles. Also: a thenable that never settles, a
 * probe that throws at once, and one that honours its abort (never held). Simulated clock for
 * the watcher; real sockets, waited for in real time against a deadline.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { useWatcherEnv } from './watcher-env.js';
import { hangingProbe } from './watcher-fixtures.js';

const setup = useWatcherEnv();
const HELD = /^the last probe ignored its abort and is still running$/;

/** Waits in real time until `check()` holds (the sockets' I/O is real), failing after 5 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

it('a probe ignoring its abort is never doubled: one request in flight, the watcher held and not ready; it probes again once that settles', async () => {
  const { clock, supervisor } = setup();
  let answering = true;
  const waiting: http.ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((_req, res) => {
    if (answering) res.end('ok');
    else waiting.push(res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  const { port } = server.address() as AddressInfo;
  let requests = 0;
  // Ignores its signal on purpose (as a client library without abort support would).
  const probe = () =>
    new Promise<void>((resolve, reject) => {
      requests += 1;
      http
        .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  const watcher = supervisor.watch({ name: 'api', probe, probeTimeoutMs: 1_000, pollIntervalMs: 2_000 });
  await clock.advance(0);
  await until(() => watcher.isReady(), 'the first probe');
  answering = false;
  // Ten poll intervals (each poll times out after 1 s): before, ten requests hung on the server.
  for (let i = 0; i < 10; i++) {
    await clock.advance(3_000);
    await until(() => waiting.length >= 1, 'the hung request');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(requests).toBe(2);
  expect(waiting).toHaveLength(1);
  expect(sockets.size).toBe(1);
  const held = watcher.status();
  expect(held.state).toBe('down');
  expect(held.ready).toBe(false);
  expect(held.probes).toBe(2);
  expect(held.lastError?.message).toMatch(HELD);
  expect(supervisor.status().watchers[0]?.lastError?.message).toMatch(HELD);
  // The hung request is answered: a new probe starts at once (no poll interval waited), succeeds.
  answering = true;
  waiting.shift()?.end('late');
  await until(() => requests === 3, 'the probe after the settle');
  await until(() => watcher.isReady(), 'ready again');
  expect(watcher.status().probes).toBe(3);
  await watcher.stop();
  expect(clock.pending).toBe(0);
  await until(() => sockets.size === 0, 'no socket left');
});

it('a thenable that never settles: one call, held for ever, not ready; stop() leaves nothing', async () => {
  const { clock, supervisor } = setup();
  let calls = 0;
  const signals: AbortSignal[] = [];
  const watcher = supervisor.watch({
    name: 'never',
    probeTimeoutMs: 1_000,
    pollIntervalMs: 2_000,
    backoff: { initialDelayMs: 500, maxAttempts: 3 },
    probe: ((signal: AbortSignal) => {
      calls += 1;
      signals.push(signal);
      // biome-ignore lint/suspicious/noThenProperty: the point: a thenable that never settles
      return { then() {} };
    }) as never,
  });
  await clock.advance(0);
  for (let i = 0; i < 20; i++) await clock.advance(1_000);
  expect(calls).toBe(1);
  expect(signals[0]?.aborted).toBe(true);
  const status = watcher.status();
  expect(status.state).toBe('starting');
  expect(status.ready).toBe(false);
  expect(status.attempts).toBe(1);
  expect(status.lastError?.message).toMatch(HELD);
  expect(clock.pending).toBe(0);
  await watcher.stop();
  expect(watcher.status().state).toBe('stopped');
  expect(clock.pending).toBe(0);
});

it('a probe that throws at once or honours its abort is never held: polls go on', async () => {
  const { clock, supervisor } = setup();
  let thrown = 0;
  const sync = supervisor.watch({
    name: 'sync',
    probeTimeoutMs: 1_000,
    pollIntervalMs: 2_000,
    backoff: { maxAttempts: 1 },
    probe: () => {
      thrown += 1;
      throw new Error('refused at once');
    },
  });
  const { signals, probe } = hangingProbe(clock);
  const honest = supervisor.watch({
    name: 'honest',
    probe,
    probeTimeoutMs: 1_000,
    pollIntervalMs: 2_000,
    backoff: { maxAttempts: 1 },
  });
  await clock.advance(0);
  for (let i = 0; i < 10; i++) await clock.advance(1_000);
  // Probes at 0, 2, 4, 6, 8 and 10 s.
  expect(thrown).toBe(6);
  expect(sync.status().lastError).toEqual({ message: 'refused at once' });
  // 0 → timeout 1 s, poll 3 s → timeout 4 s, poll 6 s, 9 s: four probes, each aborted and settled.
  expect(signals.length).toBe(4);
  expect(honest.status().lastError).toEqual({ message: 'probe timed out after 1000 ms', timeout: true });
  expect(honest.status().state).toBe('down');
});

it('stopped while held, its name reused: the old probe settling later reaches neither watcher', async () => {
  const { clock, supervisor } = setup();
  let release: () => void = () => {};
  const old = supervisor.watch({
    name: 'db',
    probeTimeoutMs: 1_000,
    pollIntervalMs: 2_000,
    backoff: { maxAttempts: 1 },
    probe: () =>
      new Promise<void>((resolve) => {
        release = resolve;
      }),
  });
  await clock.advance(0);
  await clock.advance(3_000);
  expect(old.status().lastError?.message).toMatch(HELD);
  await old.stop();
  await old.stop();
  expect(clock.pending).toBe(0);
  let calls = 0;
  const reused = supervisor.watch({
    name: 'db',
    pollIntervalMs: 2_000,
    probe: async () => {
      calls += 1;
    },
  });
  await clock.advance(0);
  expect(reused.isReady()).toBe(true);
  release();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  expect(old.status().state).toBe('stopped');
  expect(old.status().probes).toBe(1);
  expect(reused.status()).toMatchObject({ state: 'ready', probes: 1, lastError: null });
  expect(calls).toBe(1);
  expect(supervisor.watcher('db')).toBe(reused);
});
