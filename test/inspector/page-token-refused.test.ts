/**
 * A page whose token the server refuses (the inspector restarted on the same port with a new
 * token while the page stayed open), on the page's own link (src/inspector/page/server-link.ts,
 * with ws standing in for the browser's WebSocket). A browser's WebSocket never sees the upgrade's
 * 401: every attempt is a bare 1006, and the page retried every ≤ 4 s for ever, showing "server
 * unreachable" and never why. Now, after an attempt that failed, it asks the server over HTTP; a
 * 401 (or 403) stops the link: `failed`, saying to open the URL the inspector printed. A page whose
 * server is down (the HTTP request fails too) keeps retrying, as before.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startInspector } from '../../src/inspector/index.js';
import { connectToServer } from '../../src/inspector/page/server-link.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { wsUrlOf } from './page-client.js';

const h = useHarness();

function useWsAsBrowserWebSocket() {
  const given = globalThis.WebSocket;
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  h.defer(() => {
    (globalThis as { WebSocket?: unknown }).WebSocket = given;
  });
}

describe('a page whose token the server refuses', () => {
  it('stops retrying: failed, saying why (no endless 401 loop)', async () => {
    const server = await startInspector(h.supervisor(FAST), { warn: () => {} });
    h.defer(() => server.close());
    useWsAsBrowserWebSocket();
    const statuses: { state: string; reason?: string }[] = [];
    const wrong = wsUrlOf(server.url).replace(/token=[^&]+/, `token=${'w'.repeat(32)}`);
    const page = connectToServer(wrong, { message: () => {}, status: (s) => statuses.push(s) });
    h.defer(() => page.close());

    await waitFor(() => statuses.some((s) => s.state === 'failed'), {
      timeoutMs: 15_000,
      message: 'the refused page failed',
    });
    expect(statuses.at(-1)?.state).toBe('failed');
    expect(statuses.at(-1)?.reason).toMatch(/token.*open the URL the inspector printed/);
    expect(statuses.at(-1)?.reason).not.toContain('w'.repeat(32));
    const seen = statuses.length;
    await sleep(5_000); // longer than the backoff's cap (4 s): no further attempt
    expect(statuses.length).toBe(seen);
  }, 60_000);

  it('a server that is down: the page keeps retrying (nothing to ask)', async () => {
    const server = await startInspector(h.supervisor(FAST), { warn: () => {} });
    const url = wsUrlOf(server.url);
    await server.close();
    useWsAsBrowserWebSocket();
    const statuses: { state: string; reason?: string }[] = [];
    const page = connectToServer(url, { message: () => {}, status: (s) => statuses.push(s) });
    h.defer(() => page.close());
    await waitFor(() => statuses.filter((s) => s.state === 'reconnecting').length >= 3, {
      timeoutMs: 15_000,
      message: 'three retries',
    });
    expect(statuses.map((s) => s.state)).not.toContain('failed');
  }, 60_000);
});
