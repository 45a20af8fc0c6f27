/**
 * Whose close code a link's socket carries when the link and its supervisor are both closed,
 * against a real `ws` server on 127.0.0.1 port 0 reading the code it receives: a link closed with
 * a code of its own closes with it, before `supervisor.close()` or after it in the same job (the
 * supervisor's close reaches its links after the job); the others close with 1000. Once the
 * supervisor's close has reached a link (it is closing: its close frame follows its drain), a later
 * `link.close({ code })` still sets the code while the frame waits for the drain (the server holds
 * its reads here, so the link's send buffer stays full); once the frame is written it only waits.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** The server side's TCP socket of a connection (ws's `_socket`): it can stop reading. */
interface PausableSocket {
  pause(): void;
  resume(): void;
}

describe('integration: a link closed with its own code while the supervisor closes', () => {
  const h = useHarness();

  /** A server recording the close code and reason of each connection, by its path; `holdMine`:
   * it stops reading `/mine`'s socket (what that link sends stays in its buffer) until resumed. */
  async function recordingServer(holdMine: boolean) {
    const closes = new Map<string, { code: number; reason: string }>();
    const held: PausableSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        if (holdMine && request.url === '/mine') {
          const socket = (ws as unknown as { _socket: PausableSocket })._socket;
          socket.pause();
          held.push(socket);
        }
        ws.on('close', (code, reason) => closes.set(request.url ?? '', { code, reason: reason.toString() }));
      },
    });
    return { server, closes, held };
  }

  /** Links `/mine` and `/other` of one supervisor, both ready. */
  async function twoLinks(options: { holdMine?: boolean; closeTimeoutMs?: number; lingerMs?: number } = {}) {
    const { holdMine = false, ...timeouts } = options;
    const { server, closes, held } = await recordingServer(holdMine);
    const supervisor = h.supervisor({ ...FAST, ...timeouts });
    const mine = supervisor.connect(`${server.url}/mine`);
    const other = supervisor.connect(`${server.url}/other`);
    await Promise.all([mine.ready(), other.ready()]);
    return { supervisor, mine, other, closes, held };
  }

  it('supervisor.close() then link.close({ code, reason }) in the same job: that link closes with its own code', async () => {
    const { supervisor, mine, closes } = await twoLinks();
    const all = supervisor.close();
    const one = mine.close({ code: 4000, reason: 'mine' });
    await Promise.all([all, one]);
    await waitFor(() => closes.size === 2, { message: 'the server saw both closes' });
    expect(closes.get('/mine')).toEqual({ code: 4000, reason: 'mine' });
    expect(closes.get('/other')).toEqual({ code: 1000, reason: '' });
  });

  it('link.close({ code }) then supervisor.close(): the link keeps its own code', async () => {
    const { supervisor, mine, closes } = await twoLinks();
    const one = mine.close({ code: 4001, reason: 'first' });
    await Promise.all([supervisor.close(), one]);
    await waitFor(() => closes.size === 2, { message: 'the server saw both closes' });
    expect(closes.get('/mine')).toEqual({ code: 4001, reason: 'first' });
    expect(closes.get('/other')).toEqual({ code: 1000, reason: '' });
  });

  it("the supervisor's close reached the link, its frame waits for the drain: link.close({ code }) sets the frame's code", async () => {
    // The server stops reading this link's socket: what the link sends stays in its buffer.
    const { supervisor, mine, closes, held } = await twoLinks({
      holdMine: true,
      closeTimeoutMs: 30_000,
      lingerMs: 30_000,
    });
    mine.send('x'.repeat(32 * 1024 * 1024));
    const all = supervisor.close();
    await waitFor(() => mine.state === 'closing', { message: 'the supervisor closed the link' });
    // Its frame is not written yet: the drain waits for the buffer the server does not read.
    expect(mine.actor.getSnapshot().matches({ attempt: { closing: 'draining' } })).toBe(true);
    const one = mine.close({ code: 4003, reason: 'own' });
    for (const socket of held) socket.resume();
    await Promise.all([all, one]);
    await waitFor(() => closes.size === 2, { message: 'the server saw both closes' });
    expect(closes.get('/mine')).toEqual({ code: 4003, reason: 'own' });
    expect(closes.get('/other')).toEqual({ code: 1000, reason: '' });
  });

  it("once the supervisor's close reached the link and its frame is written, link.close({ code }) only waits: 1000 stands", async () => {
    const { supervisor, mine, closes } = await twoLinks();
    const all = supervisor.close();
    await waitFor(() => mine.state !== 'ready', { message: 'the supervisor closed the link' });
    // Nothing was buffered: the frame went out as the supervisor's close reached the link (which
    // may even have closed already, the server's echo read).
    const after = mine.actor.getSnapshot();
    expect(after.matches({ attempt: { closing: 'closeSent' } }) || after.status === 'done').toBe(true);
    await Promise.all([all, mine.close({ code: 4002, reason: 'late' })]);
    await waitFor(() => closes.size === 2, { message: 'the server saw both closes' });
    expect(closes.get('/mine')).toEqual({ code: 1000, reason: '' });
  });
});
