/**
 * The kept port (kept-port.ts): why a restart on a freed port is a race, and that a server behind
 * a kept port restarts whatever another process does, with a real close and a real reconnect.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useHarness } from './harness.js';
import { BEHIND_HOST } from './kept-port.js';
import { HOST, KEPT_PORTS, listen } from './servers.js';
import { waitFor } from './wait.js';

/** Another process's listener on `port` (the same thing from this process: the kernel decides). */
async function stranger(h: ReturnType<typeof useHarness>, port: number, host?: string): Promise<string> {
  const server = net.createServer((socket) => socket.destroy());
  h.defer(
    () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  );
  return listen(server, port, host).then(
    () => 'bound',
    (error: NodeJS.ErrnoException) => error.code ?? String(error),
  );
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

// Linux only (servers.ts, KEPT_PORTS): elsewhere ports are not kept.
describe.runIf(KEPT_PORTS)('a kept port', () => {
  const h = useHarness();

  it("the race it removes: a port freed by a stop is anyone's, and the restart on it fails (EADDRINUSE)", async () => {
    const first = await h.wsServer();
    const { port } = first;
    await first.stop();
    // The window between stop() and the restart, taken by another listener.
    expect(await stranger(h, port)).toBe('bound');
    await expect(h.wsServer({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('holds its port: no other listener can take it, on 127.0.0.1 or any address, while servers come and go behind', async () => {
    const kept = await h.keptPort();
    const first = await h.wsServer({ ...kept.behind });
    await first.stop();
    for (const host of [HOST, '0.0.0.0', undefined]) {
      expect(await stranger(h, kept.port, host ?? '::')).toBe('EADDRINUSE');
    }
    const second = await h.wsServer({ ...kept.behind });
    expect(second.port).toBe(kept.port);
    expect(new URL(second.url).hostname).toBe(BEHIND_HOST);
  });

  it('BEHIND_HOST only on a kept port: a server there on port 0 is refused (the kernel could give it a port another test keeps)', async () => {
    // The holder on 127.0.0.1:P keeps P from wildcard binds and ephemeral ports, not from an
    // autobind on 127.0.0.3 itself, which the kernel may answer with P (a kept port's number).
    await expect(h.wsServer({ host: BEHIND_HOST })).rejects.toMatchObject({
      code: 'BEHIND_HOST_WITHOUT_KEPT_PORT',
    });
    const kept = await h.keptPort();
    expect((await h.wsServer({ ...kept.behind })).port).toBe(kept.port);
  });

  it("a client sees the server's own close, a refusal while none listens, and reaches the restarted one", async () => {
    const kept = await h.keptPort();
    const echo = (ws: import('ws').WebSocket) => ws.on('message', (data) => ws.send(`echo:${data}`));
    let server = await h.wsServer({ ...kept.behind, onConnection: echo });
    const client = await open(kept.url('/a'));
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    for (const ws of server.clients) ws.close(1012, 'restart');
    expect(await closed).toBe(1012);
    await server.stop();

    // No server: the kernel refuses, as on any closed port.
    await expect(open(kept.url('/b'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    server = await h.wsServer({ ...kept.behind, onConnection: echo });
    const again = await open(kept.url('/c'));
    const reply = new Promise<string>((resolve) => again.once('message', (data) => resolve(String(data))));
    again.send('hi');
    expect(await reply).toBe('echo:hi');
    const gone = new Promise<void>((resolve) => again.once('close', () => resolve()));
    again.close();
    await gone;
    await waitFor(() => server.clients.size === 0, { message: 'the server saw the close' });
  });
});
