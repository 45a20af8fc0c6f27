/**
 * `maxPages`: an inspector server feeds at most that many pages at once (default 16). Before, any
 * number: a tab reloading in a loop or a local process with the URL opening thousands of feed
 * sockets grew the server's memory (a feed and a hello each) without end. A page beyond it is
 * closed with 1013 (try again later: its link retries) and the reason, counted by
 * `server.refusedPages()`, the first warned about; a page that goes makes room. Real sockets on
 * 127.0.0.1; the harness checks nothing is left after close.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { wsUrlOf } from './page-client.js';

const h = useHarness();

/** A raw feed socket: resolves with 'hello' once fed, or with the close code and reason. */
function openFeed(url: string): { ws: WebSocket; outcome: Promise<string> } {
  const ws = new WebSocket(wsUrlOf(url));
  const outcome = new Promise<string>((resolve) => {
    ws.on('error', () => {});
    ws.once('message', (data) => resolve(String(JSON.parse(String(data)).type)));
    ws.once('close', (code, reason) => resolve(`${code} ${String(reason)}`));
  });
  return { ws, outcome };
}

function closeAll(sockets: WebSocket[]): Promise<unknown> {
  return Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    ),
  );
}

describe('startInspector: maxPages', () => {
  it('by default feeds 16 pages; the 17th is closed with 1013 and the reason, counted and warned about', async () => {
    const warnings: string[] = [];
    const server = await startInspector(h.supervisor(FAST), { warn: (m) => warnings.push(m) });
    h.defer(() => server.close());
    const feeds = Array.from({ length: 16 }, () => openFeed(server.url));
    h.defer(() => closeAll(feeds.map((f) => f.ws)));
    expect(await Promise.all(feeds.map((f) => f.outcome))).toEqual(Array(16).fill('hello'));
    const extra = openFeed(server.url);
    h.defer(() => closeAll([extra.ws]));
    expect(await extra.outcome).toBe('1013 too many pages open (maxPages 16): close another');
    expect(server.refusedPages()).toBe(1);
    expect(server.pages()).toHaveLength(16);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('maxPages');
  });

  it('a flood of 200 feed sockets gets 2 pages with maxPages: 2, one warning; a page that goes makes room', async () => {
    const warnings: string[] = [];
    const server = await startInspector(h.supervisor(FAST), { maxPages: 2, warn: (m) => warnings.push(m) });
    h.defer(() => server.close());
    const feeds = Array.from({ length: 200 }, () => openFeed(server.url));
    h.defer(() => closeAll(feeds.map((f) => f.ws)));
    const outcomes = await Promise.all(feeds.map((f) => f.outcome));
    expect(outcomes.filter((o) => o === 'hello')).toHaveLength(2);
    expect(outcomes.filter((o) => o.startsWith('1013 '))).toHaveLength(198);
    expect(server.refusedPages()).toBe(198);
    expect(server.pages()).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    const admitted = feeds.filter((_, i) => outcomes[i] === 'hello').map((f) => f.ws);
    await closeAll(admitted.slice(0, 1));
    await waitFor(() => server.pages().length === 1, { message: 'the server forgot the page that went' });
    const next = openFeed(server.url);
    h.defer(() => closeAll([next.ws]));
    expect(await next.outcome).toBe('hello');
  });

  it('refused sockets that read nothing (not even the close) are cut off within seconds, not held for 30 s', async () => {
    const server = await startInspector(h.supervisor(FAST), { maxPages: 2, warn: () => {} });
    h.defer(() => server.close());
    const sockets = Array.from({ length: 300 }, () => {
      const ws = new WebSocket(wsUrlOf(server.url));
      ws.on('error', () => {});
      ws.once('upgrade', (response) => response.socket.pause());
      return ws;
    });
    h.defer(() => closeAll(sockets));
    const connections = () =>
      new Promise<number>((resolve) => server.server.getConnections((_error, count) => resolve(count)));
    // 300 real sockets opening: seconds on a loaded 2-core host (a run at load 17 missed 5 s).
    await waitFor(() => server.refusedPages() === 298, {
      message: 'every socket beyond 2 refused',
      timeoutMs: 60_000,
    });
    let open = await connections();
    const deadline = Date.now() + 10_000;
    while (open > 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      open = await connections();
    }
    expect(open).toBe(2);
  });

  it('200 pages opened and closed in random order, some dropped mid-handshake: then 16 fit again', async () => {
    const server = await startInspector(h.supervisor(FAST), { warn: () => {} });
    h.defer(() => server.close());
    const all: WebSocket[] = [];
    h.defer(() => closeAll(all));
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      const feed = openFeed(server.url);
      all.push(feed.ws);
      const roll = random();
      // Closed before its upgrade is answered, at once after, or when fed or refused.
      if (roll < 0.2) feed.ws.terminate();
      else if (roll < 0.4) feed.ws.once('upgrade', () => feed.ws.terminate());
      else if (roll < 0.7) void feed.outcome.then(() => feed.ws.close());
      pending.push(feed.outcome);
      if (random() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    await closeAll(all);
    await waitFor(() => server.pages().length === 0, { message: 'every page gone' });
    const feeds = Array.from({ length: 16 }, () => openFeed(server.url));
    h.defer(() => closeAll(feeds.map((f) => f.ws)));
    expect(await Promise.all(feeds.map((f) => f.outcome))).toEqual(Array(16).fill('hello'));
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '4', null])(
    'maxPages %s: LV_ERR_INVALID_OPTION naming maxPages',
    async (maxPages) => {
      await expect(
        startInspector(h.supervisor(FAST), { maxPages: maxPages as number }),
      ).rejects.toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'maxPages' });
    },
  );
});
