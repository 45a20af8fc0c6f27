/**
 * Messages held behind a handshake that never succeeds (it throws, or handshakeTimeoutMs runs out)
 * are not the application's: the attempt ends before ready and they end with it, none delivered
 * (Attempt.handOverHeld hands over only after the ready step: src/runtime/held-messages.ts). The
 * next socket's handshake succeeds and only what comes after it is delivered. No test had this:
 * handing them over on every end passed the held-messages tests. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { HandshakeSession } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { writeOneRead } from './one-read.js';

const ENDS = {
  'the handshake throws': async (session: HandshakeSession) => {
    session.send('hello');
    const answer = String(await session.next());
    if (answer !== 'welcome') throw new Error(`refused: ${answer}`);
  },
  'handshakeTimeoutMs runs out': async (session: HandshakeSession) => {
    session.send('hello');
    const answer = String(await session.next());
    if (answer !== 'welcome') await new Promise(() => {});
  },
} as const;

describe('messages held behind a handshake that fails', () => {
  const h = useHarness();

  it.each(Object.keys(ENDS) as (keyof typeof ENDS)[])(
    '%s: none delivered; the next socket shakes hands and its messages come',
    async (end) => {
      let sockets = 0;
      const server = await h.wsServer({
        onConnection: (ws: WebSocket) => {
          const first = ++sockets === 1;
          ws.on('message', (data) => {
            if (String(data) !== 'hello') return;
            writeOneRead(ws, first ? ['nope', 'held 0', 'held 1'] : ['welcome', 'after 0']);
          });
        },
      });
      const link = h
        .supervisor({ ...FAST, networkSignals: false })
        .connect(server.url, { handshake: ENDS[end], handshakeTimeoutMs: 200 });
      const delivered: string[] = [];
      link.on('message', (data) => delivered.push(String(data)));
      await waitFor(() => delivered.length >= 1, {
        timeoutMs: 10_000,
        message: 'the second socket delivers',
      });
      await sleep(50);
      expect({ sockets, delivered, state: link.state }).toEqual({
        sockets: 2,
        delivered: ['after 0'],
        state: 'ready',
      });
    },
    20_000,
  );
});
