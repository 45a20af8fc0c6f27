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
    await waitFor(() => log.count('close') >= 3, { message: 'three timed-out attempts', timeoutMs: 4_000 });
    expect(server.connections).toBeGreaterThanOrEqual(3);
    const close = log.of('close')[0] as DropInCloseEvent;
    expect(close.code).toBe(1006);
    expect(['timeout', 'error']).toContain(close.detail.kind);
    expect(close.detail.message).toMatch(/within 100 ms|timed out/);
    expect(log.lines.slice(0, 3)).toEqual([`error:${close.detail.kind}`, 'close:1006', 'reconnecting:1']);
    expect(log.count('open')).toBe(0);
    expect(errors).toEqual([]);
  });
});
