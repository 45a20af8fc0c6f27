/**
 * The browser build's default transport (src/transports/browser-default-transport.ts) where the
 * global `WebSocket` is missing (a worker or runtime without one, a polyfill not installed yet):
 * each attempt fails with LV_ERR_UNSUPPORTED saying there is no WebSocket, naming no option (it
 * was LV_ERR_INVALID_OPTION naming a `WebSocket` option the application never had), and the link
 * retries: once a WebSocket is installed it connects. Real `ws` server on loopback, `ws`'s class
 * as the installed global. The same for a global that is no WebSocket class (`null`, `42`): it
 * said LV_ERR_INVALID_OPTION naming `WebSocket`; and the drop-in's `WebSocket` option of `null`
 * (it fell back to the global, or in Node 20 said there was none) is LV_ERR_INVALID_OPTION.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Reason } from '../../machines/policy/close-reason.js';
import { ReconnectingWebSocket as BrowserReconnectingWebSocket } from '../../src/dropin/reconnecting-websocket.js';
import { ReconnectingWebSocket } from '../../src/index.js';
import { wsTransport } from '../../src/transports/browser-default-transport.js';
import { createBrowserTransport } from '../../src/transports/browser-transport.js';
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
  it.each([
    ['absent', () => delete global.WebSocket],
    ['null', () => (global.WebSocket = null)],
    ['42', () => (global.WebSocket = 42)],
    ['a plain function', () => (global.WebSocket = () => {})],
  ])(
    'a global WebSocket %s: each attempt fails LV_ERR_UNSUPPORTED naming no option, then one installed connects',
    async (_, install) => {
      install();
      const server = await h.wsServer();
      const supervisor = h.supervisor({ ...FAST, transport: wsTransport });
      const link = supervisor.connect(server.url, { id: 'feed' });
      const reasons: Reason[] = [];
      link.on('reconnecting', ({ reason }) => reasons.push(reason));
      await waitFor(() => reasons.length > 0, { message: 'an attempt failed' });
      expect(reasons[0]).toMatchObject({ kind: 'error', errorCode: 'LV_ERR_UNSUPPORTED' });
      expect(reasons[0]?.message).toMatch(/no global WebSocket/);
      expect(reasons[0]?.message).not.toMatch(/must be a WebSocket constructor|WebSocket: must be/);
      expect(reasons[0]).not.toHaveProperty('option');
      global.WebSocket = WebSocket;
      await link.ready();
      expect(server.connections).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('the WebSocket of the drop-in (browser class) and of createBrowserTransport()', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['42', 42],
  ])(
    'no option and a global WebSocket of %s: LV_ERR_UNSUPPORTED at construction, not an invalid option',
    (_, value) => {
      if (value === undefined) delete global.WebSocket;
      else global.WebSocket = value;
      for (const make of [
        () => new BrowserReconnectingWebSocket('ws://127.0.0.1:1'),
        () => createBrowserTransport(),
      ]) {
        let thrown: unknown;
        try {
          make();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toMatchObject({ code: 'LV_ERR_UNSUPPORTED' });
        expect((thrown as Error).message).toMatch(/^no WebSocket implementation/);
      }
    },
  );

  it.each([
    ['null', null],
    ['42', 42],
    ['an object', {}],
    ['a function that is no WebSocket class', () => {}],
  ])(
    'option WebSocket set to %s: LV_ERR_INVALID_OPTION naming WebSocket, whatever the global',
    (_, value) => {
      global.WebSocket = WebSocket;
      for (const make of [
        () => new BrowserReconnectingWebSocket('ws://127.0.0.1:1', undefined, { WebSocket: value }),
        () => new ReconnectingWebSocket('ws://127.0.0.1:1', undefined, { WebSocket: value }),
        () => createBrowserTransport(value),
      ]) {
        expect(make).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'WebSocket' }));
      }
    },
  );
});
