/**
 * A resumable link whose transport's send() ends the link and then throws, outside the user's
 * send(): in the replay after a reconnect, or in the run a received ack starts again (a message the
 * socket said false for, announced again). The link's end reports every message once — a message
 * refused before the end first (`dropped` invalid, its `error`), then each one never acknowledged
 * (`dropped` closed) — and nothing comes after `failed`: the refusal of the write that ended the
 * link is ignored (its message was reported with the end). Before round 39 (i39resume) the throw
 * was reported after the end: an `error` after `failed`, and a message refused earlier in the same
 * run reported after `failed` too. The link ends by a fatal close code (1008) the transport reports
 * inside send(). Real `ws` server with `linkvisor/server`'s resumable sessions on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Link, Transport } from '../../src/index.js';
import { resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { wsWithSend } from '../helpers/ws-send-hook.js';

/** What a scripted send() does: says false, throws, says true and writes nothing (`swallow`),
 * or reports its socket closed with 1008 and throws (`end`). */
type Act = 'false' | 'throw' | 'swallow' | 'end';

/** ws, except that a send() of a text message is what `script(socket, data, times)` says (socket
 * 1 the first; `times`: the sends of that text on that socket before this one). */
function scripted(script: (socket: number, data: string, times: number) => Act | undefined): Transport {
  return wsWithSend('scripted', (socket, write, handlers) => {
    const times = new Map<string, number>();
    return (data) => {
      if (typeof data !== 'string') return write(data);
      const n = times.get(data) ?? 0;
      times.set(data, n + 1);
      switch (script(socket, data, n)) {
        case 'false':
          return false;
        case 'throw':
          throw new TypeError('this socket cannot send that');
        case 'swallow':
          return true;
        case 'end':
          handlers.closed({ kind: 'close', code: 1008, message: 'policy: gone inside send()' });
          throw new TypeError('refused inside send()');
        default:
          return write(data);
      }
    };
  });
}

/** Every event of the link that reports a message or its end, in order. */
function timeline(link: Link): string[] {
  const order: string[] = [];
  link.on('dropped', ({ data, reason }) => order.push(`dropped ${String(data)} ${reason}`));
  link.on('error', (error) => order.push(`error ${error.code}`));
  link.on('failed', () => order.push('failed'));
  link.on('closed', () => order.push('closed'));
  return order;
}

describe("resume: a transport's send() that ends the link, then throws, outside send()", () => {
  const h = useHarness();

  async function serve() {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    const got: string[] = [];
    rs.on('session', (session) => session.on('message', (data) => got.push(String(data))));
    return { server, got };
  }

  it('in the replay: an earlier refusal reported first, the message once (closed), nothing after failed', async () => {
    const { server, got } = await serve();
    // w and x are lost in transit on the first socket; in the replay on the second, w is refused
    // (a throw), then x's send() ends the link and throws.
    const transport = scripted((socket, data) => {
      if (socket === 1 && (data === 'w' || data === 'x')) return 'swallow';
      if (socket === 2 && data === 'w') return 'throw';
      if (socket === 2 && data === 'x') return 'end';
      return undefined;
    });
    const link = h
      .supervisor({ ...FAST, transport, networkSignals: false })
      .connect(server.url, { resume: true });
    const order = timeline(link);
    await link.ready();
    expect(link.send('w')).toBe('sent');
    expect(link.send('x')).toBe('sent');
    await sleep(30);
    expect(got).toEqual([]);
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await link.ended();
    await sleep(50);
    expect(link.state).toBe('failed');
    expect(order).toEqual(['dropped w invalid', 'error LV_ERR_INVALID_DATA', 'dropped x closed', 'failed']);
  });

  it('in the run an ack starts again (a message the socket said false for): once (closed), nothing after failed', async () => {
    const { server, got } = await serve();
    // b: false on its first send (kept, announced again after the next ack), then its send()
    // ends the link and throws.
    const transport = scripted((socket, data, times) =>
      socket === 1 && data === 'b' ? (times === 0 ? 'false' : 'end') : undefined,
    );
    const link = h
      .supervisor({ ...FAST, transport, networkSignals: false })
      .connect(server.url, { resume: true });
    const order = timeline(link);
    await link.ready();
    expect(link.send('a')).toBe('sent');
    expect(link.send('b')).toBe('queued');
    await waitFor(() => got.includes('a'), { message: 'the server received a' });
    await link.ended();
    await sleep(50);
    expect(link.state).toBe('failed');
    expect(got).toEqual(['a']);
    expect(order).toEqual(['dropped b closed', 'failed']);
  });
});
