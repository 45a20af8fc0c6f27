/**
 * A handshake that sends `hello` and expects `welcome`, and a server that answers `hello` with
 * `welcome` and `batch` in one TCP write (./one-read.ts): the messages that come in one read with
 * the handshake's reply, held behind it (src/runtime/held-messages.ts).
 */
import { expect } from 'vitest';
import type { WebSocket } from 'ws';
import { writeOneRead } from './one-read.js';

export const welcomeHandshake = async (session: { send(data: string): void; next(): Promise<unknown> }) => {
  session.send('hello');
  expect(String(await session.next())).toBe('welcome');
};

/** The server's `onConnection`: `welcome` and `batch` in one write, once the client says `hello`. */
export function welcomeThen(batch: readonly string[]): (ws: WebSocket) => void {
  return (ws) => {
    ws.on('message', (data) => {
      if (String(data) === 'hello') writeOneRead(ws, ['welcome', ...batch]);
    });
  };
}
