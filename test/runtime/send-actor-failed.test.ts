/**
 * A link whose actor fails inside its transport's send() (the transport reports its socket closed
 * from inside send(), and the chart's next timer is set on a user clock that throws): the link
 * fails (`failed`, LV_ERR_LINK_FAILED) and the message in that send() is reported as for the
 * link's other ends — once, `dropped` (`closed`) before `failed` if the transport did not take it
 * (send() returns 'dropped'), never if it did ('sent') — and nothing comes after `failed`.
 * With `resume` the message is the session's (unacknowledged when the link ends: `dropped`,
 * `closed`, before `failed`). Before round 38 (i38resume) the link reported `failed` at once and
 * the message, once send() returned, after it; with resume send() returned 'queued' for a message
 * already reported, and a throw there was an `error` after `failed`. The flush variants (the
 * flush runs inside the actor's step, which fails after it) passed already: guards. Real `ws`
 * server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { type Transport, type TransportConnection, wsTransport } from '../../src/index.js';
import { resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';

/** A clock whose setTimeout throws once `broken()` says so. */
function breakableClock(broken: () => boolean) {
  return {
    now: () => Date.now(),
    setTimeout: (fn: () => void, ms: number): unknown => {
      if (broken()) throw new Error('the clock broke');
      return setTimeout(fn, ms);
    },
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** ws, except that a send() of `marked` writes it (or not), breaks the clock, reports its socket
 * closed (the chart's next step sets a timer: the actor fails), then says `says` (or throws: the
 * value refused, nothing written). */
function failsInSend(marked: string, breakClock: () => void, says: boolean | 'throw'): Transport {
  return {
    ...wsTransport,
    name: 'fails-in-send',
    connect(target, handlers, context) {
      const inner: TransportConnection = wsTransport.connect(target, handlers, context);
      return {
        send(data) {
          if (data !== marked) return inner.send(data);
          const written = says === true && inner.send(data);
          breakClock();
          handlers.closed({ kind: 'close', code: 1006, message: 'gone inside send()' });
          if (says === 'throw') throw new TypeError('refused inside send()');
          return written;
        },
        ping: () => inner.ping(),
        close: (code, reason) => inner.close(code, reason),
        terminate: () => inner.terminate(),
        get bufferedAmount() {
          return inner.bufferedAmount;
        },
      };
    },
  };
}

describe("a link whose actor fails inside its transport's send()", () => {
  const h = useHarness();

  for (const says of [false, true]) {
    it(`the transport says ${says}: ${says ? "'sent', never dropped" : "'dropped', reported once before failed"}`, async () => {
      const server = await h.wsServer();
      let broken = false;
      const clock = breakableClock(() => broken);
      const transport = failsInSend('m', () => (broken = true), says);
      const supervisor = h.supervisor({ ...FAST, clock, transport, networkSignals: false });
      const link = supervisor.connect(server.url, { heartbeat: false });
      await link.ready();
      const order: string[] = [];
      link.on('dropped', ({ data, reason }) => order.push(`dropped ${String(data)} ${reason}`));
      link.on('failed', () => order.push('failed'));
      link.on('closed', () => order.push('closed'));
      expect(link.send('m')).toBe(says ? 'sent' : 'dropped');
      await link.ended();
      await sleep(50);
      expect(link.state).toBe('failed');
      expect(order).toEqual(says ? ['failed'] : ['dropped m closed', 'failed']);
    });

    it(`in the flush of what was queued before ready, the transport says ${says}: each message received or dropped once, before failed`, async () => {
      const received: string[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
      });
      let broken = false;
      const clock = breakableClock(() => broken);
      const transport = failsInSend('m', () => (broken = true), says);
      const supervisor = h.supervisor({ ...FAST, clock, transport, networkSignals: false });
      const link = supervisor.connect(server.url, { heartbeat: false });
      const order: string[] = [];
      const dropped: string[] = [];
      link.on('dropped', ({ data }) => {
        dropped.push(String(data));
        order.push('dropped');
      });
      link.on('failed', () => order.push('failed'));
      link.on('closed', () => order.push('closed'));
      const sent = ['a', 'm', 'c'];
      for (const data of sent) expect(link.send(data)).toBe('queued');
      await link.ended();
      await sleep(50);
      expect(link.state).toBe('failed');
      const problems = sent.filter(
        (data) => received.filter((x) => x === data).length + dropped.filter((x) => x === data).length !== 1,
      );
      // 'm' said written: it may be received; said not: dropped. Either way once.
      expect(problems.filter((data) => data !== 'm')).toEqual([]);
      expect(dropped.filter((x) => x === 'm').length).toBe(says ? 0 : 1);
      expect(order.at(-1)).toBe('failed');
      expect(order.slice(0, -1).every((e) => e === 'dropped')).toBe(true);
    });
  }

  for (const says of [false, true, 'throw'] as const) {
    it(`with resume, the transport says ${says}: ${says === true ? "'sent'" : "'dropped'"}, then reported dropped (closed) once, before failed`, async () => {
      const server = await h.wsServer();
      const rs = resumable(server.wss, { ackDelayMs: 60_000, ackEveryMessages: 1_000 });
      h.defer(() => rs.close());
      let broken = false;
      const clock = breakableClock(() => broken);
      const transport = failsInSend('m', () => (broken = true), says);
      const supervisor = h.supervisor({ ...FAST, clock, transport, networkSignals: false });
      const link = supervisor.connect(server.url, { heartbeat: false, resume: true });
      await link.ready();
      const order: string[] = [];
      link.on('dropped', ({ data, reason }) => order.push(`dropped ${String(data)} ${reason}`));
      link.on('failed', () => order.push('failed'));
      link.on('closed', () => order.push('closed'));
      // Unacknowledged when the link ends, whether the server got it or not: reported once.
      expect(link.send('m')).toBe(says === true ? 'sent' : 'dropped');
      await link.ended();
      await sleep(50);
      expect(link.state).toBe('failed');
      expect(order).toEqual(['dropped m closed', 'failed']);
    });
  }
});
