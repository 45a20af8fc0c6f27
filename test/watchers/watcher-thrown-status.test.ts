/**
 * A probe that throws an HTTP client's error with a numeric `status` (`status: 503`): the watcher
 * kept its message and code but dropped the status, which it keeps for an answered response. Now
 * `lastError`, `status()` and onDown keep it; a non-numeric or non-finite one, or one behind a
 * getter that throws, is left out. ky's HTTPError has no status of its own, only its `response`:
 * that one's is kept too (it was left out). A real HTTP server on loopback.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ProbeError } from '../../src/index.js';
import { useHealthServer } from './health-server.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();
const healthServer = useHealthServer();

/** What an HTTP client (axios) throws for a 5xx: its status on the error. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code = 'ERR_BAD_RESPONSE',
  ) {
    super(`Request failed with status code ${status}`);
  }
}

describe('watcher: a probe throwing an error with a status', () => {
  it('a real server answering 200 then 503, the client throwing: lastError and onDown keep status 503', async () => {
    const health = await healthServer(200);
    const { url } = health;
    const { clock, supervisor } = setup();
    const downs: ProbeError[] = [];
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      probe: async (signal) => {
        const response = await fetch(url, { signal });
        await response.text();
        if (!response.ok) throw new HttpError(response.status);
      },
      onDown: (error) => downs.push(error),
    });
    const settled = (probes: number) =>
      vi.waitFor(
        () =>
          expect(!watcher.actor.getSnapshot().hasTag('probing') && watcher.status().probes === probes).toBe(
            true,
          ),
        { timeout: 10_000 },
      );
    await settled(1);
    expect(watcher.isReady()).toBe(true);
    health.status = 503;
    await clock.advance(1_000);
    await settled(2);
    const expected = {
      message: 'Request failed with status code 503',
      code: 'ERR_BAD_RESPONSE',
      status: 503,
    };
    expect(watcher.lastError()).toEqual(expected);
    expect(watcher.status().lastError).toEqual(expected);
    expect(downs).toEqual([expected]);
  });

  it("ky's HTTPError (its status on `response`, a real fetch Response): lastError keeps status 503", async () => {
    const health = await healthServer(503, 'busy');
    const { url } = health;
    /** ky's HTTPError: `response`, `request`, `options`, no `status` of its own. */
    class KyHttpError extends Error {
      override name = 'HTTPError';
      constructor(readonly response: Response) {
        super(`Request failed with status code ${response.status} ${response.statusText}: GET ${url}`);
      }
    }
    const { supervisor } = setup();
    const watcher = supervisor.watch({
      name: 'api',
      probe: async (signal) => {
        const response = await fetch(url, { signal });
        await response.text();
        if (!response.ok) throw new KyHttpError(response);
      },
    });
    await vi.waitFor(() => expect(watcher.status().probes === 1 && watcher.lastError() !== null).toBe(true), {
      timeout: 10_000,
    });
    expect(watcher.lastError()).toEqual({
      message: `Request failed with status code 503 Service Unavailable: GET ${url}`,
      status: 503,
    });
  });

  it.each([
    ['a string', '503'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('a status that is %s is left out', async (_name, value) => {
    const { clock, supervisor } = setup();
    const watcher = supervisor.watch({
      name: 'db',
      probe: () => {
        throw Object.assign(new Error('no'), { status: value });
      },
    });
    await clock.advance(0);
    expect(watcher.lastError()).toEqual({ message: 'no' });
  });

  it('a status behind a getter that throws is left out; the message is kept', async () => {
    const { clock, supervisor } = setup();
    const error = new Error('no');
    Object.defineProperty(error, 'status', {
      get() {
        throw new Error('unreadable');
      },
    });
    const watcher = supervisor.watch({
      name: 'db',
      probe: () => {
        throw error;
      },
    });
    await clock.advance(0);
    expect(watcher.lastError()).toEqual({ message: 'no' });
  });
});
