/**
 * A custom transport or clock that throws: a send() refusing one queued message, connect(),
 * ping() or terminate() throwing, a user clock whose setTimeout throws.
 * No user-supplied value or callback can kill a link or leak its socket (issue 10, defects 1, 5,
 * 7, 8). Real `ws` servers on loopback; each test checks that the link's actor never errors and that
 * nothing stays open (write-errors-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  type LinkvisorError,
  type Transport,
  type TransportConnection,
  wsTransport,
} from '../../src/index.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { endsClean, inbox, serverEmpty, watchActor } from './write-errors-fixtures.js';

describe('write errors never kill a link', () => {
  const h = useHarness();

  it('a transport that throws while writing a queued message: dropped (invalid) and an LV_ERR_INVALID_DATA error; the rest go on in order', async () => {
    const server = await h.wsServer();
    const { messages } = inbox(server);
    // A custom transport (user-supplied): the ws transport with a send that refuses one payload.
    const picky: Transport = {
      ...wsTransport,
      name: 'picky',
      connect(target, handlers, context) {
        const inner = wsTransport.connect(target, handlers, context);
        const connection: TransportConnection = {
          send: (data) => {
            if (data === 'boom') throw new TypeError('cannot write boom');
            return inner.send(data);
          },
          ping: () => inner.ping(),
          close: (code, reason) => inner.close(code, reason),
          terminate: () => inner.terminate(),
          get bufferedAmount() {
            return inner.bufferedAmount;
          },
        };
        return connection;
      },
    };
    const supervisor = h.supervisor({ ...FAST, transport: picky });
    const link = supervisor.connect(server.url, { autoConnect: false });
    const actor = watchActor(link);
    const log = recordEvents(link);
    // A listener that retries what was dropped meets the refusal itself: no endless flush.
    let retries = 0;
    link.on('dropped', ({ data }) => {
      retries++;
      link.send(data);
    });
    for (const data of ['a', 'boom', 'b']) link.send(data);
    link.connect();
    await link.ready();
    await waitFor(() => messages.length === 2, { message: 'two messages' });
    expect(messages).toEqual(['a', 'b']);
    expect(log.of('dropped')).toEqual([
      { data: 'boom', reason: 'invalid', error: expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }) },
    ]);
    // The retry threw LV_ERR_INVALID_DATA at the listener (reported as LV_ERR_LISTENER), then
    // the drop's own error.
    const errors = log.of<LinkvisorError>('error');
    expect(errors.map((e) => e.code)).toEqual(['LV_ERR_LISTENER', 'LV_ERR_INVALID_DATA']);
    // A redacted copy (docs/errors.md, "What `cause` is"): an Error with the thrown one's name.
    expect(errors[1]?.cause).toMatchObject({ name: 'TypeError', message: expect.stringContaining('boom') });
    expect(retries).toBe(1);
    // Straight to the socket: the caller learns it at once.
    expect(() => link.send('boom')).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    expect(link.send('c')).toBe('sent');
    await waitFor(() => messages.length === 3, { message: 'three messages' });
    expect(link.state).toBe('ready');
    await endsClean(supervisor, server, actor);
  });

  it('a custom transport whose connect(), ping() or terminate() throws: the attempt ends, the link goes on and closes', async () => {
    const server = await h.wsServer();
    let connects = 0;
    const clumsy: Transport = {
      ...wsTransport,
      name: 'clumsy',
      connect(target, handlers, context) {
        connects++;
        if (connects === 1) throw new Error('first connect explodes');
        const inner = wsTransport.connect(target, handlers, context);
        return {
          send: (data) => inner.send(data),
          ping: () => {
            throw new Error('no pings here');
          },
          close: (code, reason) => inner.close(code, reason),
          terminate: () => {
            inner.terminate();
            throw new Error('terminate explodes');
          },
          get bufferedAmount() {
            return inner.bufferedAmount;
          },
        };
      },
    };
    const supervisor = h.supervisor({ ...FAST, transport: clumsy });
    const link = supervisor.connect(server.url, {
      autoConnect: false,
      heartbeat: { intervalMs: 20, timeoutMs: 20 },
    });
    const actor = watchActor(link);
    const log = recordEvents(link);
    link.connect();
    await link.ready();
    expect(log.of<{ reason: { message: string } }>('reconnecting')[0]?.reason.message).toMatch(
      /first connect explodes/,
    );
    await waitFor(() => log.of<LinkvisorError>('error').some((e) => /ping/.test(e.message)), {
      message: 'the throwing ping() reported',
    });
    await supervisor.close();
    expect(actor.errors).toEqual([]);
    await serverEmpty(server);
  });

  it('a user clock whose setTimeout throws fails the link for good: state failed, its socket closed at once, close() completes', async () => {
    const server = await h.wsServer();
    const HEARTBEAT_MS = 4_321;
    const clock = {
      now: () => Date.now(),
      setTimeout: (fn: () => void, ms: number): unknown => {
        if (ms === HEARTBEAT_MS) throw new Error('this clock cannot count to 4321');
        return setTimeout(fn, ms);
      },
      clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const supervisor = h.supervisor({ ...FAST, clock, heartbeat: { intervalMs: HEARTBEAT_MS } });
    const link = supervisor.connect(server.url, { autoConnect: false });
    const log = recordEvents(link);
    link.connect();
    await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
    expect(link.state).toBe('failed');
    expect(log.states().at(-1)).toBe('failed');
    expect(log.of<{ reason: { message: string } }>('failed')[0]?.reason.message).toMatch(/4321/);
    expect(log.of<LinkvisorError>('error')[0]?.message).toMatch(/link actor failed/);
    expect(() => link.send('x')).toThrow(expect.objectContaining({ code: 'LV_ERR_LINK_FAILED' }));
    expect(link.status()).toMatchObject({ state: 'failed', failure: { kind: 'invalid' } });
    await serverEmpty(server);
    await supervisor.close();
  });
});
