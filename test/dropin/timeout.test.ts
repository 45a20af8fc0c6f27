/**
 * connectionTimeout against a server that accepts TCP and never answers the upgrade: each attempt
 * ends with error + close after the timeout, the next one starts, nothing throws (reconnecting-
 * websocket with `ws` crashes Node here with an uncaught error), and close() leaves nothing open.
 * Both with the ws transport and with a generic constructor (the `ws` class subclassed).
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CloseEvent as DropInCloseEvent } from '../../src/entries/ws.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, recordWs } from './helpers.js';

class OtherWebSocket extends WebSocket {}

describe('drop-in: connectionTimeout', () => {
  const h = useHarness();

  it.each([
    ['the ws transport', undefined],
    ['a generic constructor', OtherWebSocket],
  ])('with %s: every attempt times out, is retried, and nothing crashes', async (_name, ctor) => {
    const server = await h.netServer(() => {}); // accepts TCP, never answers
    const errors: unknown[] = [];
    const onUncaught = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onUncaught);
    h.defer(() => process.off('uncaughtException', onUncaught));

    const rws = dropIn(h, `ws://127.0.0.1:${server.port}`, undefined, {
      ...FAST,
      connectionTimeout: 100,
      ...(ctor ? { WebSocket: ctor } : {}),
    });
    const log = recordWs(rws);
    // A hang guard (three 100 ms timeouts and their backoffs take seconds on a busy host).
    await waitFor(() => log.count('close') >= 3, { message: 'three timed-out attempts', timeoutMs: 20_000 });
    expect(server.connections).toBeGreaterThanOrEqual(3);
    const close = log.of('close')[0] as DropInCloseEvent;
    expect(close.code).toBe(1006);
    expect(['timeout', 'error']).toContain(close.detail.kind);
    expect(close.detail.message).toMatch(/within 100 ms|timed out/);
    expect(log.lines.slice(0, 3)).toEqual([`error:${close.detail.kind}`, 'close:1006', 'reconnecting:1']);
    expect(log.count('open')).toBe(0);
    expect(errors).toEqual([]);
  });

  // Review finding, left for a chart change (machines/connection.machine.ts): `connecting`'s
  // connectTimeout starts when the attempt starts, before the URL and protocols functions have
  // resolved, so their time counts; theirs start the timer with the socket. A provider slower than
  // connectionTimeout (a token fetched for 300 ms, timeout 200 ms) never connects: every attempt
  // times out while it waits and the next calls the provider again (7 calls in 1.5 s, no open).
  // The fix needs the timer to start at the socket (a state before `connecting` while the target
  // resolves, with its own bound for a provider that never settles). Fails today; unskip with it.
  it('a URL function slower than connectionTimeout still connects: the timer starts with the socket, as theirs', async () => {
    const server = await h.wsServer();
    let calls = 0;
    // The provider takes 1.5× the timeout; the timeout is 2 s, not 200 ms: the socket's own connect
    // (loopback, real) must fit in it, and took over 200 ms on a busy host (a close, then a retry).
    const slowUrl = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return server.url;
    };
    const rws = dropIn(h, slowUrl, undefined, { ...FAST, connectionTimeout: 2_000 });
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 1, { message: 'open after the slow URL', timeoutMs: 20_000 });
    expect(log.count('close')).toBe(0);
    expect(calls).toBe(1);
  });
});
