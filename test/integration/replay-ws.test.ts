/**
 * Record → replay over a real `ws` server on 127.0.0.1: bounces (a restart close, a reset), a
 * stalled peer (pings unanswered: heartbeat loss) and a fatal close (1008). The trace, replayed on
 * the memory network and the simulated clock, takes the same transitions in the same order.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { replayTrace } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace, type Trace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('integration: a session recorded over a real ws server replays identically', () => {
  const h = useHarness();

  async function recordRealSession(): Promise<Trace> {
    let connections = 0;
    const pongs = new Set<WebSocket>();
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) => {
        const n = ++connections;
        ws.on('ping', (data) => {
          if (pongs.has(ws)) ws.pong(data);
        });
        // 1: answers pings, then restarts (1012). 2: answers, then the connection is reset.
        // 3: stalls (answers two pings, then none: heartbeat loss). 4: a policy close (fatal).
        if (n !== 3) pongs.add(ws);
        if (n === 1) setTimeout(() => ws.close(1012, 'restart'), 350);
        if (n === 2) setTimeout(() => ws.terminate(), 300);
        if (n === 3) {
          pongs.add(ws);
          setTimeout(() => pongs.delete(ws), 250);
        }
        if (n === 4) setTimeout(() => ws.close(1008, 'policy'), 200);
      },
    });
    const supervisor = h.supervisor({ seed: 12 });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(server.url, {
      id: 'feed',
      heartbeat: { intervalMs: 60, timeoutMs: 250, maxMissed: 2 },
      // stableAfter far from any heartbeat tick: two timers of one actor due within a few ms of
      // each other race on a real clock, and so would their order in the trace.
      backoff: { initialDelayMs: 30, maxDelayMs: 120, stableAfterMs: 60_000 },
      connectTimeoutMs: 10_000,
    });
    await waitFor(() => link.state === 'failed', { timeoutMs: 15_000, message: 'the link failed (1008)' });
    const trace = recorder.stop();
    await supervisor.close();
    return trace;
  }

  it('bounces, a stalled peer and a fatal close: same transitions, same order', async () => {
    const trace = parseTrace(formatTrace(await recordRealSession()));
    const link = trace.records.filter((r) => r.kind === 'event' && r.actor === 'link:feed');
    const reasons = link.flatMap((r) =>
      r.kind === 'event' && r.event.type === 'transport.closed'
        ? [(r.event.reason as { code?: number }).code]
        : [],
    );
    // A loaded machine may add a late pong or a heartbeat loss of its own; these always happen:
    expect(reasons).toContain(1012);
    expect(reasons.at(-1)).toBe(1008);
    const lostToHeartbeat = link.filter(
      (r) =>
        r.kind === 'event' &&
        r.source.kind === 'timer' &&
        r.source.delay === 'ioTurn' && // the pong timeout's I/O turn ends the link
        r.to === 'reconnecting',
    );
    expect(lostToHeartbeat.length).toBeGreaterThanOrEqual(1);
    const reconnects = link.filter(
      (r) => r.kind === 'event' && r.to === 'reconnecting' && r.from !== 'reconnecting',
    );
    expect(reconnects.length).toBeGreaterThanOrEqual(3);
    expect(link.at(-1)).toMatchObject({ to: 'failed' });

    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);
    // The replay recorded the same per-actor steps.
    const path = (records: Trace['records']) =>
      records
        .filter((r) => r.actor === 'link:feed')
        .map((r) => (r.kind === 'event' ? [r.event.type, r.to] : r.value));
    expect(path(result.replayed.records)).toEqual(path(trace.records));
  }, 30_000);

  it('a link with resume (a session resumed after a drop, then reset by a restart) replays identically', async () => {
    const { resumable } = await import('../../src/server/index.js');
    const first = await h.wsServer();
    const one = resumable(first.wss);
    h.defer(() => one.close());
    one.on('session', (session) => session.send('from the server'));
    const supervisor = h.supervisor({ seed: 5 });
    const recorder = recordSession(supervisor);
    let url = first.url;
    const link = supervisor.connect(() => url, {
      id: 'feed',
      resume: { ackDelayMs: 40 },
      heartbeat: false,
      backoff: { initialDelayMs: 30, maxDelayMs: 120, stableAfterMs: 60_000 },
    });
    const outcomes: string[] = [];
    const received: unknown[] = [];
    link.on('message', (data) => received.push(data));
    link.on('resumed', () => outcomes.push('resumed'));
    link.on('reset', ({ reason }) => outcomes.push(`reset ${reason}`));
    await link.ready();
    link.send('one');
    // The server's message opens an ack window: resume.unacked, then the ackDelay timer.
    await waitFor(() => link.status().resume?.unacknowledged === 0 && received.length === 1, {
      message: 'received and acknowledged',
    });
    for (const ws of first.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => outcomes.length === 1, { message: 'resumed' });
    await waitFor(() => link.state === 'ready', { message: 'ready again' });
    const second = await h.wsServer();
    const two = resumable(second.wss);
    h.defer(() => two.close());
    url = second.url;
    for (const ws of first.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => outcomes.length === 2, { message: 'reset' });
    await waitFor(() => link.state === 'ready', { message: 'ready in the new session' });
    await link.close();
    const trace = recorder.stop();
    expect(outcomes).toEqual(['resumed', 'reset unknown-session']);
    const types = trace.records.flatMap((r) => (r.kind === 'event' ? [r.event.type] : []));
    expect(types).toEqual(expect.arrayContaining(['resume.done', 'resume.unacked', 'resume.ackDue']));
    // The ack timer is a timer of the chart (by its delay's name), as every `after` is.
    const ackDue = trace.records.find((r) => r.kind === 'event' && r.event.type === 'resume.ackDue');
    expect(ackDue).toMatchObject({ source: { kind: 'timer', delay: 'ackDelay', delayMs: 40 } });
    const result = await replayTrace(parseTrace(formatTrace(trace)));
    expect(result.message).toMatch(/^replay identical/);
  });
});
