/**
 * Property, through the whole stack: a `Link` with `resume` and a `resumable(wss)` session on a
 * real `ws` server (127.0.0.1, port 0), both on one simulated clock — so every ack (the connection
 * chart's `ackDelay`, the session chart's), reconnect and timeout is the charts' doing. For random
 * schedules of sends in both directions, drops (every socket terminated, frames in flight lost)
 * and clock ticks, with random ack numbers, then a heal: each side delivered exactly what the
 * other sent, once and in order, one session throughout, nothing reset or reported dropped.
 * (test/resume/protocol.property.test.ts proves the same of the pure core on a memory network,
 * with many more runs.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

type Command =
  | { t: 'clientSend'; n: number }
  | { t: 'serverSend'; n: number }
  | { t: 'drop' }
  | { t: 'tick'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('clientSend' as const), n: fc.integer({ min: 1, max: 5 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('serverSend' as const), n: fc.integer({ min: 1, max: 5 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'drop' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 150 }) }),
  },
);

const acks = fc.record({
  ackEveryMessages: fc.integer({ min: 1, max: 10 }),
  ackDelayMs: fc.integer({ min: 1, max: 200 }),
});

describe('resume, whole stack: random schedules deliver exactly what was sent', () => {
  const h = useHarness();

  it('holds for random sends both ways, drops and clock ticks', { timeout: 120_000 }, async () => {
    const server = await h.wsServer();
    await fc.assert(
      fc.asyncProperty(acks, fc.array(command, { maxLength: 25 }), async (ack, commands) => {
        const clock = new TestClock();
        const rs = resumable(server.wss, { clock, ...ack, sessionTtlMs: 3_600_000 });
        const supervisor = h.supervisor({
          clock,
          heartbeat: false,
          backoff: { initialDelayMs: 10, maxDelayMs: 10, jitter: 'none' },
        });
        const sessions: ResumableSession[] = [];
        const serverGot: string[] = [];
        const serverDropped: string[] = [];
        rs.on('session', (s) => {
          sessions.push(s);
          s.on('message', (d) => serverGot.push(String(d)));
          s.on('dropped', ({ data }) => serverDropped.push(String(data)));
        });
        const link = supervisor.connect(server.url, { resume: ack });
        const clientGot: string[] = [];
        const events: string[] = [];
        link.on('message', (d) => clientGot.push(String(d)));
        link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
        link.on('dropped', ({ data, reason }) => events.push(`dropped ${String(data)} ${reason}`));
        const clientSent: string[] = [];
        const serverSent: string[] = [];
        try {
          await waitFor(() => link.state === 'ready' && sessions.length === 1, { message: 'first session' });
          const session = sessions[0] as ResumableSession;
          for (const c of commands) {
            if (c.t === 'clientSend') {
              for (let i = 0; i < c.n; i++) {
                const m = `c${clientSent.length + 1}`;
                clientSent.push(m);
                link.send(m);
              }
            } else if (c.t === 'serverSend') {
              for (let i = 0; i < c.n; i++) {
                const m = `s${serverSent.length + 1}`;
                serverSent.push(m);
                expect(session.send(m)).not.toBe('dropped');
              }
            } else if (c.t === 'drop') {
              for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
            } else {
              await clock.advance(c.ms);
            }
          }
          // Heal: time goes on (reconnects, acks) until everything arrived, both ways.
          await waitFor(
            async () => {
              await clock.advance(20);
              return (
                link.state === 'ready' &&
                clientGot.length >= serverSent.length &&
                serverGot.length >= clientSent.length
              );
            },
            { message: 'everything delivered after the heal', timeoutMs: 20_000 },
          );
          expect(clientGot).toEqual(serverSent);
          expect(serverGot).toEqual(clientSent);
          expect(events).toEqual([]);
          expect(serverDropped).toEqual([]);
          expect(sessions).toHaveLength(1);
          // Acks drain both replay buffers once the link is quiet.
          await waitFor(
            async () => {
              await clock.advance(ack.ackDelayMs);
              const status = link.status().resume;
              return (
                status?.buffered.messages === 0 &&
                status.unacknowledged === 0 &&
                session.status().buffered.messages === 0 &&
                session.status().unacknowledged === 0
              );
            },
            { message: 'both replay buffers drained by acks', timeoutMs: 10_000 },
          );
        } finally {
          await supervisor.close();
          await rs.close();
        }
        expect(clock.pending).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
