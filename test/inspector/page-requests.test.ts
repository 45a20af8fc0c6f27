/**
 * A page's requests (ping, commands, recordings) are answered outside its feed's backpressure: a
 * page that goes on asking while it reads nothing must not grow the server's memory without
 * bound. Beyond 4 × maxBufferedBytes (and its hello) unsent on its socket it is sent away with
 * 1013 (its page's link comes back with a fresh hello) instead of being answered; a ping's `id`
 * is echoed only when it is the number the protocol says it is.
 */
import { describe, expect, it } from 'vitest';
import { startInspector } from '../../src/inspector/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';

const h = useHarness();
const MAX_BUFFERED = 64 * 1024;
/** What the server may hold for the page beyond its hello: the bound, one answer past it (a
 * trace, ~50 KB), and its close frame. */
const HELD_AT_MOST = 4 * MAX_BUFFERED + 100 * 1024;

describe('inspector server: requests of a page that stops reading', () => {
  it('a page that asks for answers it never reads is sent away with 1013; the unsent bytes stay bounded', async () => {
    const network = createMemoryNetwork();
    network.listen('mem://feed');
    const supervisor = h.supervisor({ transport: network.transport, heartbeat: false });
    const links = Array.from({ length: 300 }, (_, i) => supervisor.connect('mem://feed', { id: `l${i}` }));
    await waitFor(() => links.every((link) => link.state === 'ready'), { message: 'all ready' });
    const server = await startInspector(supervisor, { maxBufferedBytes: MAX_BUFFERED });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    const closed = new Promise<number>((resolve) => page.ws.once('close', (code) => resolve(code)));
    page.ws.pause(); // reads nothing more
    // Each recording started and stopped at once answers with a trace of every actor (~50 KB):
    // 400 of them are ~20 MB, far more than the sockets' buffers absorb.
    for (let i = 0; i < 400; i++) {
      page.send({ type: 'record', on: true });
      page.send({ type: 'record', on: false });
    }
    await waitFor(() => page.ws.bufferedAmount === 0, { message: 'the requests written', timeoutMs: 30_000 });
    // Whatever the server has read of them by now, it holds at most the bound for the page.
    let most = 0;
    for (let i = 0; i < 30; i++) {
      for (const stats of server.pages()) most = Math.max(most, stats.bufferedBytes);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const hello = Buffer.byteLength(page.raw[0] ?? '');
    expect(hello).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(HELD_AT_MOST + hello);
    expect(server.recordings()).toBe(0);
    page.ws.resume();
    expect(await closed).toBe(1013);
    await waitFor(() => server.pages().length === 0, { message: 'the page forgotten' });
  }, 60_000);

  it("a ping's id is echoed only when it is a number", async () => {
    const server = await startInspector(h.supervisor());
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    page.ws.send(JSON.stringify({ type: 'ping', id: 'y'.repeat(10_000) }));
    page.send({ type: 'ping', id: 7 });
    expect(await page.next('pong')).toEqual({ type: 'pong' });
    expect(await page.next('pong', (m) => m.id === 7)).toEqual({ type: 'pong', id: 7 });
  });
});
