/**
 * The drop-in offers subprotocols like WebSocket does (`new ReconnectingWebSocket(url, ['token',
 * apiKey])`), but only links with header support (the supervisor's) counted them as secrets: a
 * server quoting what it was offered put the credential in the drop-in's CloseEvent and
 * ErrorEvent reasons and its link's status(). Its `protocol` property stays the application's (as
 * WebSocket's), not scanned here. Static protocols and a provider's, against a real ws server.
 */
import { describe, expect, it } from 'vitest';
import { ReconnectingWebSocket } from '../../src/index.js';
import { textOf } from '../helpers/events.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const STATIC = 'sk_dropin_static5Hq2';
const PROVIDED = 'sk_dropin_provided8Vw1';

describe('drop-in: secrets in subprotocols', () => {
  const h = useHarness();

  it.each([
    ['static protocols', ['chat', STATIC] as string[] | (() => Promise<string[]>), STATIC],
    ['a protocols provider', async () => ['chat', PROVIDED], PROVIDED],
  ])(
    '%s: a server quoting them in close reasons never gets them into events or status',
    async (_name, protocols, secret) => {
      const server = await h.wsServer({
        onConnection: (ws, request) =>
          ws.close(4001, `bad protocols ${String(request.headers['sec-websocket-protocol'])}`.slice(0, 120)),
      });
      const drop = new ReconnectingWebSocket(server.url, protocols, {
        minReconnectionDelay: 20,
        maxReconnectionDelay: 60,
        heartbeat: false,
      });
      h.defer(async () => {
        drop.close();
        await drop.link?.ended();
      });
      const events: string[] = [];
      for (const type of ['open', 'close', 'error']) {
        drop.addEventListener(type, (event: Event) => {
          const e = event as Event & { reason?: string; code?: number; message?: string };
          events.push(textOf({ type, reason: e.reason, code: e.code, message: e.message }));
        });
      }
      await waitFor(() => events.filter((e) => e.includes('"close"')).length >= 2, { message: 'two closes' });
      expect(events.some((e) => e.includes('bad protocols'))).toBe(true);
      const texts = [...events, textOf(drop.link?.status())];
      expect(texts.filter((text) => text.includes(secret))).toEqual([]);
    },
  );
});
