/**
 * A custom transport whose `send()` writes the message, then ends the link (`link.close()`,
 * `supervisor.terminate()`), then says it wrote it (true). The transport took the message: it is
 * `sent` (what send() returns straight to a ready socket), never reported `dropped`; the rest of a
 * queue being flushed is received or dropped once, `dropped` before `closed`. A real `ws` socket
 * sends the frames written before its close frame (close()), and hands what it wrote before a
 * terminate() to the kernel (what the kernel had not sent is lost with the reset, as any socket's
 * on a terminate: `sent` never meant delivered); a memory peer closed politely delivers them.
 * Before round 37 (i37wire) the link's end inside that send() reported the message `dropped` at
 * once and send() returned 'dropped', though the transport then said it wrote it: three terminate
 * variants failed (not the `ws` flush at the ready step, inside the link actor's step, whose end
 * comes after it; the close() variants end after the send() returns, and passed).
 */
import { describe, expect, it } from 'vitest';
import {
  type Link,
  type Supervisor,
  type SupervisorOptions,
  type Transport,
  type TransportConnection,
  wsTransport,
} from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';

const OPTIONS: SupervisorOptions = { ...FAST, networkSignals: false };

/** `base`, except that its connections' first send() of `marked` writes it, then calls `hook`,
 * then returns true (written); later sends on an ended socket say false. */
function writesThenEnds(marked: string, hook: () => void, base: Transport): Transport {
  let hooked = false;
  return {
    ...base,
    name: 'writes-then-ends',
    connect(target, handlers, context) {
      const inner: TransportConnection = base.connect(target, handlers, context);
      let ended = false;
      return {
        send(data) {
          if (ended) return false;
          const written = inner.send(data);
          if (!hooked && data === marked) {
            hooked = true;
            hook();
            return written;
          }
          return written;
        },
        ping: () => inner.ping(),
        close(code, reason) {
          ended = true;
          inner.close(code, reason);
        },
        terminate() {
          ended = true;
          inner.terminate();
        },
        get bufferedAmount() {
          return inner.bufferedAmount;
        },
      };
    },
  };
}

/** What the link reported: `dropped` data and the order of its ends. */
function reports(link: Link) {
  const dropped: string[] = [];
  const order: string[] = [];
  link.on('dropped', ({ data }) => {
    dropped.push(String(data));
    order.push('dropped');
  });
  link.on('closed', () => order.push('closed'));
  link.on('failed', () => order.push('failed'));
  return { dropped, order };
}

const ENDS: Record<string, (link: Link, supervisor: Supervisor) => void> = {
  'link.close()': (link) => void link.close(),
  'supervisor.terminate()': (_link, supervisor) => void supervisor.terminate(),
};

describe("a transport's send() that writes the message, ends the link, then says it wrote it", () => {
  const h = useHarness();

  /** A server (ws or in-process) that records what it receives. */
  async function serve(where: 'ws' | 'in-process') {
    const net = createMemoryNetwork();
    const received: string[] = [];
    if (where === 'ws') {
      const server = await h.wsServer();
      server.wss.on('connection', (ws) => ws.on('message', (data) => received.push(String(data))));
      return { url: server.url, base: wsTransport, received };
    }
    net.listen('mem://svc').onConnection((peer) => peer.onMessage((data) => received.push(String(data))));
    return { url: 'mem://svc', base: net.transport, received };
  }

  for (const [name, end] of Object.entries(ENDS)) {
    for (const where of ['ws', 'in-process'] as const) {
      it(`straight to a ready ${where} socket, ${name} inside it: 'sent', never dropped`, async () => {
        const { url, base, received } = await serve(where);
        let link: Link | null = null;
        let supervisor: Supervisor | null = null;
        const transport = writesThenEnds('x', () => end(link as Link, supervisor as Supervisor), base);
        supervisor = h.supervisor({ ...OPTIONS, transport });
        link = supervisor.connect(url);
        await link.ready();
        const seen = reports(link);
        expect(link.send('x')).toBe('sent');
        await link.ended();
        await sleep(50);
        expect(seen.dropped).toEqual([]);
        expect(seen.order).toEqual(['closed']);
        if (name === 'link.close()') expect(received).toEqual(['x']);
        expect(link.status().queue).toEqual({ messages: 0, bytes: 0 });
      });

      it(`the flush of what was queued before ready, ${where}, ${name} inside the first send(): it is sent, the rest received or dropped once`, async () => {
        const { url, base, received } = await serve(where);
        let link: Link | null = null;
        let supervisor: Supervisor | null = null;
        const transport = writesThenEnds('a', () => end(link as Link, supervisor as Supervisor), base);
        supervisor = h.supervisor({ ...OPTIONS, transport });
        // In-process, a per-attempt URL that resolves later: the flush runs when its socket opens.
        link = supervisor.connect(where === 'ws' ? url : () => sleep(10).then(() => url));
        const seen = reports(link);
        const sent = ['a', 'b', 'c', 'd'];
        for (const data of sent) expect(link.send(data)).toBe('queued');
        await link.ended();
        await sleep(50);
        expect(seen.dropped).not.toContain('a');
        if (name === 'link.close()') expect(received).toContain('a');
        const problems: string[] = [];
        for (const data of sent.slice(1)) {
          const d = seen.dropped.filter((x) => x === data).length;
          const r = received.filter((x) => x === data).length;
          if (d + r !== 1) problems.push(`${data}: dropped ${d}, received ${r}`);
        }
        expect(problems).toEqual([]);
        expect(seen.order.at(-1)).toBe('closed');
        expect(seen.order.slice(0, -1).every((e) => e === 'dropped')).toBe(true);
        expect(link.status().queue).toEqual({ messages: 0, bytes: 0 });
      });
    }
  }
});
