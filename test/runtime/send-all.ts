/**
 * A server socket's messages written out before the test goes on: `ws` compresses on zlib's thread
 * pool and writes later, so a fixed sleep after `send()` (150 ms) was not enough at load 17–18
 * (the pause tests saw 1 of 20 late messages). Resolves once every message's write callback ran,
 * then gives the client's event loop a poll phase to read them from loopback.
 */
import type { WebSocket } from 'ws';
import { sleep } from '../helpers/wait.js';

export async function sendAll(ws: WebSocket | undefined, messages: readonly string[]): Promise<void> {
  if (!ws) throw new Error('sendAll: no server socket');
  await Promise.all(
    messages.map(
      (message) =>
        new Promise<void>((resolve, reject) =>
          ws.send(message, (error) => (error ? reject(error) : resolve())),
        ),
    ),
  );
  await sleep(50);
}

/** `${i} ${body}` for i in [from, to). */
export function numbered(from: number, to: number, body: string): string[] {
  return Array.from({ length: to - from }, (_, i) => `${from + i} ${body}`);
}
