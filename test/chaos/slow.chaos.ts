/**
 * A slow link: 150 ms each way and 32 KiB/s per direction and connection, with traffic under
 * that rate both ways. The heartbeat (250 ms + 1.5 s, round trips of 300 ms and more) must never
 * declare such a link dead, the round trip it reports must be the path's (≥ 300 ms), and the outbound queue must stay within its bounds: while the slow
 * upgrade is in progress every link sends a burst larger than its queue (`drop-oldest`), so the
 * queue fills to its bound, reports every message it drops, and is flushed in order once ready.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { TIMER_EARLY_MS } from '../helpers/timer-early.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { MessageLedger } from './ledger.js';
import { CHAOS, linkUrl, max, TransportProbe } from './probes.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'slow link: 20 links, 150 ms, 32 KiB/s';
const LINKS = 20;
const LATENCY_MS = 150;
const BYTES_PER_SEC = 32 * 1024;
const QUEUE = { maxMessages: 25, maxBytes: 64 * 1024, overflow: 'drop-oldest' } as const;
const BURST = 40;
const RUN_MS = 6_000;
const SEND_EVERY_MS = 100;
const PAD = 'p'.repeat(480);
/**
 * The chaos policy with waits sized for this path: the proxy, the server and the 20 links share
 * one event loop, and on a busy machine a healthy exchange over a 300 ms round trip can take well
 * over the scaled 500 ms pong wait and 1 s connect timeout (seen at load 10–12: links reconnected
 * before ready, pongs taken for lost), so both are generous here (5× and 30× the round trip). The
 * ping interval stays below the round trip: pongs come back after the next ping went out, and the
 * reported round trip must still be the path's.
 */
const POLICY = {
  ...CHAOS,
  connectTimeoutMs: 10_000,
  handshakeTimeoutMs: 10_000,
  heartbeat: { ...CHAOS.heartbeat, timeoutMs: 5 * 2 * LATENCY_MS },
} as const;

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  it('no false heartbeat death; the queue stays within its bounds and reports what it drops', async () => {
    const ledger = new MessageLedger();
    const server = await h.wsServer({
      onConnection: (ws) =>
        ws.on('message', (data) => {
          const text = String(data);
          ledger.receive(text);
          ws.send(text); // the echo keeps the other direction busy too
        }),
    });
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    proxy.latency(LATENCY_MS);
    proxy.bandwidth(BYTES_PER_SEC);
    const probe = new TransportProbe();
    const supervisor = h.supervisor({ ...POLICY, queue: QUEUE, transport: probe.transport, seed: 11 });

    let queuePeak = { messages: 0, bytes: 0 };
    const sample = (links: Link[]) => {
      for (const link of links) {
        const { messages, bytes } = link.status().queue;
        queuePeak = {
          messages: Math.max(queuePeak.messages, messages),
          bytes: Math.max(queuePeak.bytes, bytes),
        };
      }
    };
    const links: Link[] = [];
    const lost: string[] = [];
    let echoes = 0;
    for (let i = 0; i < LINKS; i++) {
      const key = String(i);
      const link = supervisor.connect(linkUrl(proxy.url(), i), { id: key });
      link.on('lost', ({ reason }) => lost.push(`${key}: ${reason.message}`));
      link.on('message', () => echoes++);
      ledger.watch(link, key);
      links.push(link);
      // The burst, while the upgrade crawls through the slow path: more than the queue holds.
      for (let m = 0; m < BURST; m++) ledger.send(link, key);
      sample(links);
    }
    const connectStart = performance.now();
    await waitFor(() => links.every((link) => link.state === 'ready'), {
      message: 'every link ready over the slow path',
      timeoutMs: 20_000,
    });
    const connectMs = performance.now() - connectStart;

    const sampler = setInterval(() => sample(links), 50);
    h.defer(() => clearInterval(sampler));
    const sender = setInterval(() => {
      // ~500 bytes every 100 ms: 5 KiB/s per link, each way.
      for (const [i, link] of links.entries()) ledger.send(link, String(i), PAD);
    }, SEND_EVERY_MS);
    h.defer(() => clearInterval(sender));
    await sleep(RUN_MS);
    clearInterval(sender);
    await waitFor(() => ledger.pendingQueued() === 0, {
      message: 'queued messages flushed',
      timeoutMs: 10_000,
    });
    clearInterval(sampler);

    const v = ledger.verdict();
    const rtts = links.map((link) => link.status().rttMs ?? 0);
    const notReady = links.filter((link) => link.state !== 'ready').length;
    figure(SCENARIO, 'time to ready over the slow path (ms)', connectMs);
    figure(
      SCENARIO,
      'heartbeat round trip (rttMs), min / max',
      `${Math.min(...rtts).toFixed(0)} / ${max(rtts).toFixed(0)}`,
      `≥ ${2 * LATENCY_MS} (the path), < ${POLICY.heartbeat.timeoutMs}`,
    );
    figure(SCENARIO, 'links lost / not ready at the end', `${lost.length} / ${notReady}`, '= 0 / 0');
    figure(
      SCENARIO,
      'queue peak: messages / bytes',
      `${queuePeak.messages} / ${queuePeak.bytes}`,
      `≤ ${QUEUE.maxMessages} / ${QUEUE.maxBytes}`,
    );
    figure(
      SCENARIO,
      'dropped by drop-oldest (reported)',
      v.dropped,
      `= ${LINKS} × ${BURST - QUEUE.maxMessages}`,
    );
    figure(
      SCENARIO,
      'queued messages lost / delivered twice',
      `${v.lostQueued} / ${v.duplicates}`,
      '= 0 / 0',
    );
    figure(SCENARIO, 'echoes received', echoes);

    expect(lost).toEqual([]);
    // The reported round trip is the path's: a late pong of an earlier ping must not be taken for
    // the answer to the latest one.
    // The proxy holds each way by a timer, which may fire up to TIMER_EARLY_MS early.
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(2 * (LATENCY_MS - TIMER_EARLY_MS));
    expect(notReady).toBe(0);
    expect(probe.attempts.length).toBe(LINKS);
    expect(queuePeak.messages).toBeLessThanOrEqual(QUEUE.maxMessages);
    expect(queuePeak.bytes).toBeLessThanOrEqual(QUEUE.maxBytes);
    expect(queuePeak.messages).toBe(QUEUE.maxMessages);
    expect(v.dropped).toBe(LINKS * (BURST - QUEUE.maxMessages));
    expect(v.lostQueued).toBe(0);
    expect(v.duplicates).toBe(0);
    expect(v.outOfOrder).toBe(0);
    expect(echoes).toBeGreaterThan(0);
  });
});
