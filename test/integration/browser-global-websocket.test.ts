/**
 * The browser build's default transport (src/transports/browser-default-transport.ts) where the
 * global `WebSocket` is missing (a worker or runtime without one, a polyfill not installed yet):
 * each attempt fails with LV_ERR_UNSUPPORTED saying there is no WebSocket, naming no option (it
 * was LV_ERR_INVALID_OPTION naming a `WebSocket` option the application never had), and the link
 * retries: once a WebSocket is installed it connects. Real `ws` server on loopback, `ws`'s class
 * as the installed global.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Reason } from '../../machines/policy/close-reason.js';
import { wsTransport } from '../../src/transports/browser-default-transport.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const h = useHarness();
const global = globalThis as { WebSocket?: unknown };
const original = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');

afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'WebSocket', original);
  else delete global.WebSocket;
});

describe('browser default transport without a global WebSocket', () => {
  it('fails each attempt with LV_ERR_UNSUPPORTED (no option), then connects once one is installed', async () => {
    delete global.WebSocket;
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, transport: wsTransport });
    const link = supervisor.connect(server.url, { id: 'feed' });
    const reasons: Reason[] = [];
    link.on('reconnecting', ({ reason }) => reasons.push(reason));
    await waitFor(() => reasons.length > 0, { message: 'an attempt failed' });
    expect(reasons[0]).toMatchObject({ kind: 'error', errorCode: 'LV_ERR_UNSUPPORTED' });
    expect(reasons[0]?.message).toMatch(/no global WebSocket/);
    expect(reasons[0]?.message).not.toMatch(/must be a WebSocket constructor/);
    expect(reasons[0]).not.toHaveProperty('option');
    global.WebSocket = WebSocket;
    await link.ready();
    expect(server.connections).toBeGreaterThanOrEqual(1);
  });
});
