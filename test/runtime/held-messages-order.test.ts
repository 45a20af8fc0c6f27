/**
 * Messages held while a link shakes hands reach the application after the link says it is ready:
 * WebSocket's contract (and partysocket's, reconnecting-websocket's) is `open` before any
 * `message`, so the link's `ready` (and its `state` event to `ready`) comes first and a `message`
 * listener reads `link.state === 'ready'`. The server answers the handshake and sends application
 * data right after it, in one TCP write (one read on the client) or in two writes. Real `ws`
 * server on loopback. A `ready` listener that terminates the link gets none of them: reported
 * `unread`, before `closed` (Attempt.dispose hands them over).
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { HandshakeSession, Link, Supervisor } from '../../src/index.js';
import { FAST, type Harness, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { writeOneRead } from './one-read.js';

const handshake = async (session: HandshakeSession) => {
  session.send('hello');
  expect(String(await session.next())).toBe('welcome');
};

const WRITES = {
  'one read': (ws: WebSocket) => writeOneRead(ws, ['welcome', 'm0', 'm1']),
  'two writes': (ws: WebSocket) => {
    ws.send('welcome');
    ws.send('m0');
    ws.send('m1');
  },
} as const;

/**
 * A link whose server answers the handshake and sends m0 and m1 in the same read, with `onReady`
 * as its first `ready` listener; `order` logs ready, dropped and closed (the test adds `message`).
 */
async function heldBehindHandshake(h: Harness, onReady: (link: Link, supervisor: Supervisor) => void) {
  const server = await h.wsServer({
    onConnection: (ws) => ws.on('message', (data) => String(data) === 'hello' && WRITES['one read'](ws)),
  });
  const supervisor = h.supervisor({ ...FAST, networkSignals: false });
  const link = supervisor.connect(server.url, { handshake });
  const order: string[] = [];
  link.on('ready', () => {
    order.push('ready');
    onReady(link, supervisor);
  });
  link.on('dropped', ({ data, reason }) => order.push(`dropped ${String(data)} ${reason}`));
  link.on('closed', () => order.push('closed'));
  return { link, order };
}

describe('messages held behind a handshake come after ready', () => {
  const h = useHarness();

  it.each(Object.keys(WRITES) as (keyof typeof WRITES)[])(
    '%s: state ready, ready, then the messages, each seeing link.state ready',
    async (how) => {
      const server = await h.wsServer({
        onConnection: (ws) => ws.on('message', (data) => String(data) === 'hello' && WRITES[how](ws)),
      });
      const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, { handshake });
      const order: string[] = [];
      link.on('state', ({ to }) => order.push(`state ${to}`));
      link.on('ready', () => order.push('ready'));
      link.on('message', (data) => order.push(`message ${String(data)} (link.state ${link.state})`));
      await waitFor(() => order.filter((e) => e.startsWith('message')).length === 2, {
        message: 'both messages delivered',
      });
      expect(order.filter((e) => !e.startsWith('state connecting'))).toEqual([
        'state handshaking',
        'state ready',
        'ready',
        'message m0 (link.state ready)',
        'message m1 (link.state ready)',
      ]);
    },
  );

  it('a ready listener that terminates: the held messages are reported unread before closed, none delivered', async () => {
    const { link, order } = await heldBehindHandshake(h, (_link, supervisor) => void supervisor.terminate());
    link.on('message', (data) => order.push(`message ${String(data)}`));
    await link.ended();
    expect(order).toEqual(['ready', 'dropped m0 unread', 'dropped m1 unread', 'closed']);
  });
});

describe('a ready listener that closes or stops, with messages held', () => {
  const h = useHarness();

  it.each(['link.close()', 'supervisor.close()'] as const)(
    '%s: each held message delivered once before closed, nothing after it, nothing left',
    async (how) => {
      const { link, order } = await heldBehindHandshake(h, (link, supervisor) =>
        how === 'link.close()' ? void link.close() : void supervisor.close(),
      );
      link.on('message', (data) => order.push(`message ${String(data)} (${link.state})`));
      await link.ended();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // supervisor.close() closes its links on a later turn: still ready when they come.
      const state = how === 'link.close()' ? 'closing' : 'ready';
      expect(order).toEqual(['ready', `message m0 (${state})`, `message m1 (${state})`, 'closed']);
    },
  );
});
