/**
 * startInspector when something goes wrong while it starts: a port that is taken rejects with the
 * system's error and leaves nothing behind (no subscription on the collector it was given, no
 * server); a `warn` callback that throws (a test making warnings fatal) neither leaves a listening
 * server behind nor stops the inspector.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createInspector } from '../../src/inspector/create-inspector.js';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';

/** A collector that counts the subscriptions taken and not given back. */
function countingInspector() {
  const inspector = createInspector();
  let live = 0;
  const subscribe = inspector.subscribe.bind(inspector);
  inspector.subscribe = (listener) => {
    live++;
    const off = subscribe(listener);
    let done = false;
    return () => {
      if (!done) live--;
      done = true;
      off();
    };
  };
  return { inspector, live: () => live };
}

describe('startInspector: failing to start', () => {
  const h = useHarness();

  it('a port in use: rejects with EADDRINUSE, the collector keeps no subscription of it', async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    h.defer(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;
    const { inspector, live } = countingInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });

    await expect(startInspector(supervisor, { inspector, port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(live()).toBe(0);
  });

  it.each(['localhost.', 'no-such-host.invalid'])(
    'host %s that does not resolve: LV_ERR_INVALID_OPTION naming host, the resolver error as cause, nothing left',
    async (host) => {
      const { inspector, live } = countingInspector();
      const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
      const failed = await startInspector(supervisor, { inspector, host }).then(
        () => new Error('started'),
        (error: unknown) => error as Error & { code?: string; option?: string },
      );
      expect(failed).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'host' });
      expect(failed.message).toContain(host);
      expect(failed.cause).toMatchObject({ code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL)$/) });
      expect(live()).toBe(0);
    },
  );

  it('a warn that throws: the inspector starts (the warning is lost) and closes leaving nothing', async () => {
    const supervisor = h.supervisor(FAST);
    const warnings: string[] = [];
    // A wildcard warns (127.0.0.2, which this used, is loopback and no longer does).
    const server = await startInspector(supervisor, {
      host: '0.0.0.0',
      warn: (message) => {
        warnings.push(message);
        throw new Error('warnings are fatal here');
      },
    });
    h.defer(() => server.close());
    expect(warnings).toHaveLength(1);
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(server.url, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
    await server.close();
    expect(server.server.listening).toBe(false);
  });
});
