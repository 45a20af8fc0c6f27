/**
 * What the write-errors tests (write-errors-*.test.ts) share: a server's inbox, buffers and their
 * detaching, a watch on a link's actor, and the end of every test (the actor never errored, close()
 * leaves nothing on the server).
 */
import { expect } from 'vitest';
import type { WebSocket } from 'ws';
import type { Link, Supervisor } from '../../src/index.js';
import { FAST, type Harness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

/** Every message a server received, text as strings, binary as arrays of bytes. */
export function inbox(server: WsTestServer): { messages: unknown[]; sockets: WebSocket[] } {
  const messages: unknown[] = [];
  const sockets: WebSocket[] = [];
  server.wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data: Buffer, isBinary) => messages.push(isBinary ? [...data] : data.toString()));
  });
  return { messages, sockets };
}

/** An ArrayBuffer holding `bytes`. */
export function bufferOf(bytes: number[]): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

/** Detaches `buffer` (as a transfer to a worker, or WASM memory growth, would). */
export function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

/** Fails the test if the link's actor ever errors (the defect: `state` said ready meanwhile). */
export function watchActor(link: Link): { errors: unknown[] } {
  const errors: unknown[] = [];
  link.actor.subscribe({ error: (error) => errors.push(error) });
  return { errors };
}

/** Waits until the server holds no socket (bounded: a leaked socket fails the test). */
export async function serverEmpty(server: WsTestServer): Promise<void> {
  await waitFor(() => server.clients.size === 0, { message: 'the server holds no socket', timeoutMs: 5_000 });
}

/** A ws server recording what it receives, and a link to it waiting for connect(). */
export async function idleLink(h: Harness) {
  const server = await h.wsServer();
  const { messages } = inbox(server);
  const supervisor = h.supervisor(FAST);
  const link = supervisor.connect(server.url, { autoConnect: false });
  return { server, messages, supervisor, link, actor: watchActor(link) };
}

/** The end of every test: the actor never errored; close() leaves nothing on the server. */
export async function endsClean(supervisor: Supervisor, server: WsTestServer, actor: { errors: unknown[] }) {
  expect(actor.errors).toEqual([]);
  await supervisor.close();
  await serverEmpty(server);
}
