/**
 * A real `ws` client socket for the server's close tests (test/model/farewell.model,
 * test/server/close-silent-peer): open, and able to stop reading so that it does not answer a
 * close frame until it reads again.
 */
import { WebSocket } from 'ws';

/** A client socket, open; `stall()` stops it reading (it does not answer a close frame until
 * `resume()`); `code` is the close code it saw (1006: its socket was terminated). */
export async function openStallingSocket(url: string) {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  const socket = { ws, code: 0, stall: () => raw.pause(), resume: () => raw.resume() };
  ws.on('close', (code) => {
    socket.code = code;
  });
  return socket;
}

/** What `openStallingSocket` resolves to. */
export type StallingSocket = Awaited<ReturnType<typeof openStallingSocket>>;
