/**
 * The session chart tests the server: shortest paths to every (state, incoming edge) of the
 * chart, each run against `resumable(wss)` on a real `ws` server (127.0.0.1, port 0) with a
 * client built from the pure core and a simulated clock for the sessions' timers (each named
 * delay has a distinct value, so the clock fires exactly that one); then a gate fails if any state
 * or transition of the chart was not exercised by the server. The server holds one session
 * (`maxSessions: 1`), so `session.evict` is a second client starting afresh. Every path ends with
 * no timer left.
 */
import { describe, expect, it } from 'vitest';
import type { EventObject, InspectionEvent, SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import { sessionMachine } from '../../machines/session.machine.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from '../server/raw-resume-client.js';

type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

const DELAYS = { ackDelay: 2001, sessionTtl: 2002 } as const;
/** Two messages fill an ack window: the first starts the ack timer, the second acks by count. */
const ACK_EVERY = 2;

const catalog: EventObject[] = [
  { type: 'session.unacked' },
  { type: 'session.acked' },
  { type: 'session.detached' },
  { type: 'session.attached' },
  { type: 'session.end' },
  { type: 'session.evict' },
  { type: 'xstate.after.ackDelay.session.attached.acking' },
  { type: 'xstate.after.sessionTtl.session.away' },
];

const model = new TestModel(sessionMachine as never, {
  events: (snapshot: SessionSnapshot) =>
    snapshot.status === 'done' ? [] : catalog.filter((event) => snapshot.can(event as never)),
  serializeState: ((snapshot: SessionSnapshot, event: EventObject | undefined, previous?: SessionSnapshot) =>
    JSON.stringify([snapshot.value, previous?.value ?? null, event?.type ?? 'init'])) as never,
});

const coverage = new ChartCoverage([sessionMachine]);

describe.sequential('session chart: generated paths against resumable(wss)', () => {
  const h = useHarness();
  const paths = model.getShortestPaths() as unknown as {
    steps: { event: EventObject; state: SessionSnapshot }[];
  }[];

  it(`runs ${paths.length} paths against a resumable server`, async () => {
    expect(paths.length).toBeGreaterThan(8);
    const server = await h.wsServer();
    for (const path of paths) {
      const description = path.steps
        .slice(1)
        .map((s) => s.event.type.replace('xstate.', ''))
        .join(' → ');
      const clock = new TestClock();
      let chartValue: unknown = null;
      let firstChart: string | undefined;
      const inspect = (event: InspectionEvent) => {
        coverage.observer(event);
        if (event.type !== '@xstate.snapshot') return;
        const snapshot = event.snapshot as SessionSnapshot;
        if (snapshot.machine?.id !== 'session') return;
        // The path's session: the first one (a newcomer's session has a chart of its own).
        firstChart ??= event.actorRef.sessionId;
        if (event.actorRef.sessionId === firstChart) chartValue = snapshot.value;
      };
      const rs = resumable(server.wss, {
        clock,
        inspect,
        ackEveryMessages: ACK_EVERY,
        ackDelayMs: DELAYS.ackDelay,
        sessionTtlMs: DELAYS.sessionTtl,
        maxSessions: 1,
      });
      const evicted: ResumableSession[] = [];
      rs.on('evicted', (s) => evicted.push(s));
      const sessions: ResumableSession[] = [];
      const received: string[] = [];
      const closes: string[] = [];
      rs.on('session', (s) => {
        sessions.push(s);
        s.on('message', (d) => received.push(String(d)));
        s.on('close', ({ reason }) => closes.push(reason));
      });
      // Acknowledges by hand only: what the server acks is the chart's doing alone.
      const client = new RawResumeClient({ ackEveryMessages: 1_000, ackDelayMs: 600_000 });
      const newcomer = new RawResumeClient();
      let sent = 0;
      try {
        expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
        for (const [index, step] of path.steps.entries()) {
          if (index > 0) {
            const type = step.event.type;
            const session = sessions[0] as ResumableSession;
            if (type === 'session.unacked' || type === 'session.acked') {
              client.send(`m${++sent}`);
              await waitFor(() => received.length === sent, { message: `m${sent} (${description})` });
            } else if (type === 'session.detached') {
              client.drop();
              await waitFor(() => !session.connected, { message: `away (${description})` });
            } else if (type === 'session.attached') {
              // From away: the client comes back. From attached: a newer socket of the same
              // client replaces one the server still thinks is open.
              if (session.connected) client.leaveHalfOpen();
              expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
            } else if (type === 'session.end') {
              session.close();
            } else if (type === 'session.evict') {
              // The server is full (one session, away): a fresh client takes its room.
              expect(await newcomer.connect(server.url)).toEqual({ outcome: 'new' });
              expect(evicted).toEqual([session]);
              expect(rs.status()).toMatchObject({ sessions: 1, attached: 1, away: 0, evicted: 1 });
            } else {
              const delay = type.split('.')[2] as keyof typeof DELAYS;
              if (!(await clock.fire(DELAYS[delay]))) throw new Error(`no ${delay} timer (${description})`);
            }
          }
          const expected = JSON.stringify(step.state.value);
          await waitFor(() => JSON.stringify(chartValue) === expected, {
            message: `after step ${index} of ${description}: chart ${expected}, server ${JSON.stringify(chartValue)}`,
          });
          // The server's side of what the chart says.
          const state = step.state.value;
          if (state === 'expired') expect(closes).toEqual(['expired']);
          if (state === 'evicted') expect(closes).toEqual(['evicted']);
          if (state === 'ended') expect(closes).toEqual(['closed']);
          if (state === 'away') expect(sessions[0]?.connected).toBe(false);
          if (typeof state === 'object') {
            expect(sessions[0]?.connected).toBe(true);
            // quiet: everything received is acknowledged to the client; acking: one is not.
            const unacknowledged = sessions[0]?.status().unacknowledged;
            expect(unacknowledged).toBe('quiet' === (state as { attached: string }).attached ? 0 : 1);
          }
        }
        // One timer at most, the one the chart's state holds.
        const last = path.steps.at(-1)?.state.value;
        const timers = typeof last === 'object' && (last as { attached: string }).attached === 'acking';
        expect(clock.pendingDelays()).toEqual(
          last === 'away' ? [DELAYS.sessionTtl] : timers ? [DELAYS.ackDelay] : [],
        );
      } finally {
        await rs.close();
        await client.close();
        await newcomer.close();
      }
      expect(clock.pending).toBe(0);
      expect(rs.size).toBe(0);
    }
  });

  it('covers every state and transition of the session chart', () => {
    console.log('session chart coverage by the server:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
