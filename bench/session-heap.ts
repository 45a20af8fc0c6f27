/**
 * Server heap for N resumable sessions whose clients dropped, with and without `maxSessions`
 * (BENCHMARKS.md, round 19): a child process (bench/session-heap-server.ts, plain node,
 * --expose-gc, xstate's production build) serves; this process opens N fresh sessions on raw
 * `ws` sockets (hello, welcome, then a drop without a close frame), 100 at a time, and asks the
 * child for its heap once they all wait for their clients. Each configuration runs `repeats`
 * times in fresh children (the spread is the A/A noise).
 *
 *   node --import tsx bench/session-heap.ts [sessions=5000] [repeats=2] [first]
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { encodeHello, PROTOCOL_VERSION } from '../src/resume/frames.js';
import { startChild } from './child.js';

const N = Number(process.argv[2] ?? 5_000);
const REPEATS = Number(process.argv[3] ?? 2);
const ONLY = process.argv[4];
const ALL: { maxSessions: number; payloadBytes: number }[] = [
  { maxSessions: Number.POSITIVE_INFINITY, payloadBytes: 0 },
  { maxSessions: Number.POSITIVE_INFINITY, payloadBytes: 1_024 },
  { maxSessions: 1_000, payloadBytes: 1_024 },
];
/** argv[4] `first`: the first configuration only (with SESSION_HEAP_SNAPSHOT, for a snapshot). */
const CONFIGS = ONLY === 'first' ? ALL.slice(0, 1) : ALL;

/** One fresh session: hello, the welcome, then the socket dropped (no close frame). */
const churn = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    ws.on('open', () =>
      ws.send(
        encodeHello({ version: PROTOCOL_VERSION, sessionId: '', lastReceived: 0, newId: randomUUID() }),
      ),
    );
    ws.once('message', () => {
      ws.terminate();
      resolve();
    });
    ws.on('error', reject);
  });

for (const { maxSessions, payloadBytes } of CONFIGS) {
  for (let run = 0; run < REPEATS; run++) {
    const child = startChild('session-heap-server.ts', [String(maxSessions), String(payloadBytes)], {
      nodeFlags: ['--expose-gc'],
    });
    const { port } = await child.next<{ port: number }>('ready', 30_000);
    const started = performance.now();
    for (let i = 0; i < N; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, N - i) }, () => churn(port)));
    }
    const churnMs = performance.now() - started;
    child.send({ type: 'measure', away: Math.min(N, maxSessions) });
    const result = await child.next<{
      heapOverBaselineBytes: number;
      buffersOverBaselineBytes: number;
      status: Record<string, unknown>;
    }>('result', 120_000);
    await child.stop();
    const held = result.status.sessions as number;
    console.log(
      JSON.stringify({
        sessions: N,
        maxSessions: String(maxSessions),
        payloadBytes,
        run,
        held,
        evicted: result.status.evicted,
        heapMiB: +(result.heapOverBaselineBytes / 2 ** 20).toFixed(2),
        perHeldKiB: +(result.heapOverBaselineBytes / held / 1024).toFixed(2),
        buffersMiB: +(result.buffersOverBaselineBytes / 2 ** 20).toFixed(2),
        churnMs: Math.round(churnMs),
      }),
    );
  }
}
