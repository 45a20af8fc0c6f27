/**
 * A probe that answers a fetch Response (`(signal) => fetch(url, { signal })`): a 503 resolved, so
 * the service was ready. Now the Kubernetes httpGet rule: status 200–399 is healthy, any other
 * (0, 1xx, 4xx, 5xx) a failure whose status is in lastError; an answer with `ok === false` and no
 * numeric status is a failure too. A real HTTP server on loopback, then Response objects.
 */
import { describe, expect, it, vi } from 'vitest';
import { useHealthServer } from './health-server.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();
const healthServer = useHealthServer();

describe('watcher: a probe answering an HTTP response', () => {
  it('a real server answering 503 then 200: not ready with its status, then ready; 503 again: onDown', async () => {
    const health = await healthServer(503);
    const { url } = health;
    const { clock, supervisor } = setup();
    const downs: unknown[] = [];
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      probe: (signal) => fetch(url, { signal }),
      onDown: (error) => downs.push(error),
    });
    const settled = (probes: number) =>
      vi.waitFor(
        () =>
          expect(
            watcher.status().lastCheck !== null &&
              !watcher.actor.getSnapshot().hasTag('probing') &&
              watcher.status().probes === probes,
          ).toBe(true),
        { timeout: 10_000 },
      );
    await settled(1);
    expect(watcher.isReady()).toBe(false);
    expect(watcher.lastError()).toEqual({
      message: 'the probe answered HTTP 503 Service Unavailable',
      status: 503,
    });
    health.status = 200;
    await clock.advance(2_000);
    await settled(2);
    expect(watcher.isReady()).toBe(true);
    health.status = 500;
    await clock.advance(1_000);
    await settled(3);
    expect(watcher.isReady()).toBe(false);
    expect(downs).toEqual([{ message: 'the probe answered HTTP 500 Internal Server Error', status: 500 }]);
  });

  it.each([
    [200, true],
    [204, true],
    [302, true],
    [399, true],
    [404, false],
    [429, false],
    [503, false],
  ])('a Response with status %i: healthy %s', async (code, healthy) => {
    const { clock, supervisor } = setup();
    const watcher = supervisor.watch({
      name: 'api',
      probe: async () => new Response(null, { status: code }) as unknown as boolean,
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(healthy);
    if (!healthy) expect(watcher.lastError()?.status).toBe(code);
  });

  it('Response.error() (status 0), a status-less `{ ok: false }`: failures; `{ ok: true }`: healthy', async () => {
    const { clock, supervisor } = setup();
    let answer: unknown = Response.error();
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      probe: async () => answer as boolean,
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(false);
    expect(watcher.lastError()).toEqual({ message: 'the probe answered HTTP 0', status: 0 });
    answer = { ok: true };
    await clock.advance(2_000);
    expect(watcher.isReady()).toBe(true);
    answer = { ok: false };
    await clock.advance(1_000);
    expect(watcher.isReady()).toBe(false);
    expect(watcher.lastError()).toEqual({ message: 'the probe answered ok: false' });
  });

  it('an answer whose status getter throws is a failure, never thrown into the chart', async () => {
    const { clock, supervisor } = setup();
    const answer = Object.defineProperty({}, 'status', {
      get() {
        throw new Error('no');
      },
    });
    const watcher = supervisor.watch({ name: 'odd', probe: async () => answer as boolean });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(false);
    expect(watcher.lastError()?.message).toMatch(/cannot be read/);
  });

  it('freeing the body decides nothing: a 200 whose cancel throws or rejects is healthy, nothing unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { clock, supervisor } = setup();
      const cancelFails = () => {
        throw new Error('cancel failed');
      };
      const answers: unknown[] = [
        { status: 200, body: { cancel: cancelFails } },
        Object.defineProperty({ status: 204 }, 'body', { get: cancelFails }),
        new Response(new ReadableStream({ cancel: cancelFails }), { status: 200 }),
        new Response(new ReadableStream({ cancel: () => Promise.reject(new Error('no')) }), { status: 503 }),
      ];
      const watcher = supervisor.watch({
        name: 'api',
        pollIntervalMs: 1_000,
        failuresBeforeDown: 2,
        probe: async () => answers.shift() as boolean,
      });
      const seen: [boolean, number][] = [];
      await clock.advance(0);
      seen.push([watcher.isReady(), watcher.status().failures]);
      for (let i = 0; i < 3; i++) {
        await clock.advance(1_000);
        seen.push([watcher.isReady(), watcher.status().failures]);
      }
      expect(seen).toEqual([
        [true, 0],
        [true, 0],
        [true, 0],
        [true, 1],
      ]);
      expect(watcher.lastError()).toEqual({ message: 'the probe answered HTTP 503', status: 503 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('an answer that cannot be read says so in words', async () => {
    const { clock, supervisor } = setup();
    const answer = Object.defineProperty({}, 'ok', {
      get() {
        throw new Error('no');
      },
    });
    const watcher = supervisor.watch({ name: 'odd', probe: async () => answer as boolean });
    await clock.advance(0);
    expect(watcher.lastError()).toEqual({ message: 'the probe answered an object that cannot be read' });
  });
});
