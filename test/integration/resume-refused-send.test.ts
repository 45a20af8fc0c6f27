/**
 * A resumable session whose transport refuses a numbered data frame (docs/resume.md, "A frame the
 * transport refuses"). Every message is reported exactly once across the whole scenario —
 * received by the server once, or reported to the sender once (`dropped`, or send() throwing) —
 * and the acks match what the server really got (its session's count is what its `message`
 * listener saw; the client's replay buffer empties only for those).
 * - `false` (the transport's contract: the socket is not open, nothing was written): the message
 *   keeps its number and its place; the next frame on that socket announces it again (a `seq`
 *   frame) and writes it, or the next socket's replay does. Nothing is lost, nothing is reported.
 * - a throw (the socket refused the value, LV_ERR_INVALID_DATA, as without resume): the message
 *   leaves the session and its number is not consumed (the next message takes it); it is reported
 *   as without resume: send() throws it, a flushed or replayed one is `dropped` (`invalid`).
 * Before round 38 (i38resume) the refused message stayed in the replay buffer with its number
 * while the next frame on the same socket took that number on the server: its ack covered the
 * refused message, never reported, and the last message was reported `dropped` though the server
 * had it. Real `ws` server with `linkvisor/server`'s resumable sessions on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type Link, LinkvisorError, type Transport } from '../../src/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { wsWithSend } from '../helpers/ws-send-hook.js';

/** How a refusal is made: the transport says false (keeps the socket), or throws. */
type How = 'false' | 'throw';

/** ws, except that the first send() of `marked` on socket number `onSocket` (1: the first)
 * refuses it (`how`); with `swallowOn`, a send() of `marked` on that socket says true and writes
 * nothing (a frame lost in transit). */
function refusesOnce(marked: string, how: How, onSocket = 1, swallowOn = 0): Transport {
  let refused = false;
  return wsWithSend('refuses-once', (socket, write) => (data) => {
    if (data === marked && socket === swallowOn) return true;
    if (data === marked && socket === onSocket && !refused) {
      refused = true;
      if (how === 'throw') throw new TypeError('this socket cannot send that');
      return false;
    }
    return write(data);
  });
}

/** ws, except that on the first socket a send() of `marked` says false (kept, announced again
 * with a `seq` frame before the next write) and every `seq` frame after that throws. */
function refusesSeqAfter(marked: string): Transport {
  return wsWithSend('refuses-seq', (socket, write) => {
    const first = socket === 1;
    let saidFalse = false;
    return (data) => {
      if (first && data === marked && !saidFalse) {
        saidFalse = true;
        return false;
      }
      const seq = data instanceof Uint8Array && data[0] === 0xf5 && data[1] === 4;
      if (first && saidFalse && seq) throw new TypeError('this socket cannot send that');
      return write(data);
    };
  });
}

function reported(link: Link) {
  const dropped: string[] = [];
  const errors: string[] = [];
  const events: string[] = [];
  link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
  link.on('error', (error) => errors.push(error.code));
  link.on('resumed', () => events.push('resumed'));
  link.on('reset', () => events.push('reset'));
  return { dropped, errors, events };
}

/** Each sent message received once or reported once, never both, never neither. */
function onceEach(sent: string[], got: string[], reportedOnes: string[]): string[] {
  const problems: string[] = [];
  for (const data of sent) {
    const r = got.filter((x) => x === data).length;
    const d = reportedOnes.filter((x) => x === data).length;
    if (r + d !== 1) problems.push(`${data}: received ${r}, reported ${d}`);
  }
  return problems;
}

describe('resume: a data frame the transport refuses', () => {
  const h = useHarness();

  /** Acks at once (every message), so the client's buffer shows what the server acknowledged. */
  async function serve() {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    const got: string[] = [];
    const sessions: ResumableSession[] = [];
    rs.on('session', (session) => {
      sessions.push(session);
      session.on('message', (data) => got.push(String(data)));
    });
    return { server, got, sessions };
  }

  /** The server's count is what it delivered; the client kept nothing it acknowledged wrongly. */
  async function settled(link: Link, got: string[], sessions: ResumableSession[], expected: string[]) {
    await waitFor(() => got.length >= expected.length, { message: `the server received ${expected}` });
    await sleep(60); // more frames (or acks) would come now
    expect(got).toEqual(expected);
    const session = sessions.at(-1) as ResumableSession;
    expect(session.stream.receivedSeq).toBe(got.length);
    await waitFor(() => link.status().resume?.buffered.messages === 0, {
      message: 'the client holds nothing the server acknowledged',
      timeoutMs: 2_000,
    });
    expect(link.status().resume?.buffered.messages).toBe(0);
  }

  it('false on a ready socket that stays open: kept, written again with the next frame: all received once, nothing reported', async () => {
    const { server, got, sessions } = await serve();
    const link = h
      .supervisor({ ...FAST, transport: refusesOnce('b', 'false') })
      .connect(server.url, { resume: true });
    const seen = reported(link);
    await link.ready();
    expect(link.send('a')).toBe('sent');
    expect(link.send('b')).toBe('queued');
    expect(link.send('c')).toBe('sent');
    expect(link.send('d')).toBe('sent');
    await settled(link, got, sessions, ['a', 'b', 'c', 'd']);
    await link.close();
    expect(seen.dropped).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  it('a throw on a ready socket: send() throws LV_ERR_INVALID_DATA, the next message takes its number', async () => {
    const { server, got, sessions } = await serve();
    const link = h
      .supervisor({ ...FAST, transport: refusesOnce('b', 'throw') })
      .connect(server.url, { resume: true });
    const seen = reported(link);
    await link.ready();
    const thrown: string[] = [];
    for (const data of ['a', 'b', 'c', 'd']) {
      try {
        link.send(data);
      } catch (error) {
        expect(error).toBeInstanceOf(LinkvisorError);
        expect((error as LinkvisorError).code).toBe('LV_ERR_INVALID_DATA');
        thrown.push(data);
      }
    }
    expect(thrown).toEqual(['b']);
    await settled(link, got, sessions, ['a', 'c', 'd']);
    await link.close();
    expect(seen.dropped).toEqual([]);
    expect(onceEach(['a', 'b', 'c', 'd'], got, thrown)).toEqual([]);
  });

  it('a throw in the flush of what was queued before ready: dropped (invalid) once with an error, the rest received once', async () => {
    const { server, got, sessions } = await serve();
    const link = h
      .supervisor({ ...FAST, transport: refusesOnce('b', 'throw') })
      .connect(server.url, { resume: true });
    const seen = reported(link);
    const sent = ['a', 'b', 'c', 'd'];
    for (const data of sent) expect(link.send(data)).toBe('queued');
    await link.ready();
    await settled(link, got, sessions, ['a', 'c', 'd']);
    await link.close();
    expect(seen.dropped).toEqual(['b invalid']);
    expect(seen.errors).toEqual(['LV_ERR_INVALID_DATA']);
    expect(
      onceEach(
        sent,
        got,
        seen.dropped.map((x) => x.split(' ')[0] as string),
      ),
    ).toEqual([]);
  });

  it('false in the flush of what was queued before ready: kept, written again with the next frame', async () => {
    const { server, got, sessions } = await serve();
    const link = h
      .supervisor({ ...FAST, transport: refusesOnce('b', 'false') })
      .connect(server.url, { resume: true });
    const seen = reported(link);
    for (const data of ['a', 'b', 'c', 'd']) expect(link.send(data)).toBe('queued');
    await link.ready();
    await waitFor(() => got.length >= 1, { message: 'the server received a' });
    expect(link.send('e')).toBe('sent');
    await settled(link, got, sessions, ['a', 'b', 'c', 'd', 'e']);
    await link.close();
    expect(seen.dropped).toEqual([]);
  });

  for (const how of ['false', 'throw'] as const) {
    it(`${how} in the replay on a new socket: ${how === 'false' ? 'kept, written again with the next frame' : 'dropped (invalid) once, the next message takes its number'}`, async () => {
      const { server, got, sessions } = await serve();
      // 'a' is lost in transit on the first socket (the transport said true), refused on the second.
      const transport = refusesOnce('a', how, 2, 1);
      const link = h.supervisor({ ...FAST, transport }).connect(server.url, { resume: true });
      const seen = reported(link);
      await link.ready();
      expect(link.send('a')).toBe('sent');
      await sleep(30);
      expect(got).toEqual([]);
      for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
      await waitFor(() => seen.events.includes('resumed') && link.state === 'ready', {
        message: 'resumed and ready',
      });
      expect(link.send('e')).toBe('sent');
      const expected = how === 'false' ? ['a', 'e'] : ['e'];
      await settled(link, got, sessions, expected);
      await link.close();
      expect(seen.dropped).toEqual(how === 'false' ? [] : ['a invalid']);
      expect(seen.events).toEqual(['resumed']);
    });
  }
  it('a seq frame refused (a throw) on a socket that stays open: one error, the socket replaced, every message received once', async () => {
    const { server, got, sessions } = await serve();
    const link = h
      .supervisor({ ...FAST, transport: refusesSeqAfter('b') })
      .connect(server.url, { resume: true });
    const seen = reported(link);
    await link.ready();
    expect(link.send('a')).toBe('sent');
    expect(link.send('b')).toBe('queued');
    // The seq announcing b again is refused on this socket: c waits for the next socket's replay.
    expect(link.send('c')).toBe('queued');
    for (const data of ['d', 'e', 'f']) link.send(data);
    await settled(link, got, sessions, ['a', 'b', 'c', 'd', 'e', 'f']);
    await link.close();
    expect(seen.errors).toEqual(['LV_ERR_INVALID_DATA']);
    expect(seen.events).toEqual(['resumed']);
    expect(seen.dropped).toEqual([]);
  });
  it('a seq frame refused inside send(), the link out of retries: the socket replaced ends it, send() says dropped, each message reported once', async () => {
    const server = await h.wsServer();
    // No ack comes (none would start a run again before c's send).
    const rs = resumable(server.wss, { ackEveryMessages: 10_000, ackDelayMs: 60_000 });
    h.defer(() => rs.close());
    const got: string[] = [];
    rs.on('session', (session) => session.on('message', (data) => got.push(String(data))));
    const backoff = { ...FAST.backoff, maxAttempts: 0 };
    const link = h
      .supervisor({ ...FAST, backoff, transport: refusesSeqAfter('b') })
      .connect(server.url, { resume: true });
    const order: string[] = [];
    link.on('dropped', ({ data, reason }) => order.push(`dropped ${String(data)} ${reason}`));
    link.on('error', (error) => order.push(`error ${error.code}`));
    link.on('failed', () => order.push('failed'));
    await link.ready();
    expect(link.send('a')).toBe('sent');
    expect(link.send('b')).toBe('queued');
    await waitFor(() => got.includes('a'), { message: 'the server received a' });
    expect(link.send('c')).toBe('dropped');
    await link.ended();
    await sleep(30);
    expect(link.state).toBe('failed');
    expect(got).toEqual(['a']);
    expect(order).toEqual([
      'error LV_ERR_INVALID_DATA',
      'dropped a closed',
      'dropped b closed',
      'dropped c closed',
      'failed',
    ]);
  });
});
