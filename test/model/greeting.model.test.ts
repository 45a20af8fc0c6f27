/**
 * The greeting chart tests the server: shortest paths to every (state, incoming edge) of the
 * chart, each run against `resumable(wss)` on a real `ws` server (127.0.0.1, port 0) with a raw
 * client and a simulated clock for the greeting's timer (`helloTimeout`, a value no other timer
 * has, so the clock fires exactly that one); then a gate fails if any state or transition of the
 * chart was not exercised by the server. Every path ends with no timer left.
 *
 * The two paths (to `settled`, to `timedOut`) both start in `waiting`. Each runs twice, once per way a socket waits for its session:
 * - `silent`: the socket opens and says nothing; `greeting.settled` is the client going away,
 *   the timeout closes it with 1013;
 * - `held`: the client says hello and the store holds its answer; `greeting.settled` is the store
 *   answering (the client is welcomed, `new`), the timeout closes it with 1013 before its welcome.
 */
import { describe, expect, it } from 'vitest';
import type { EventObject, InspectionEvent, SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import { greetingMachine } from '../../machines/greeting.machine.js';
import { memoryStore, resumable, type SessionStore } from '../../src/server/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from '../server/raw-resume-client.js';
import { silentSocket } from '../server/silent-socket.js';

type GreetingSnapshot = SnapshotFrom<typeof greetingMachine>;

const HELLO_TIMEOUT = 2003;
const TIMEOUT = 'xstate.after.helloTimeout.greeting.waiting';

const catalog: EventObject[] = [{ type: 'greeting.settled' }, { type: TIMEOUT }];

const model = new TestModel(greetingMachine as never, {
  events: (snapshot: GreetingSnapshot) =>
    snapshot.status === 'done' ? [] : catalog.filter((event) => snapshot.can(event as never)),
  serializeState: ((
    snapshot: GreetingSnapshot,
    event: EventObject | undefined,
    previous?: GreetingSnapshot,
  ) => JSON.stringify([snapshot.value, previous?.value ?? null, event?.type ?? 'init'])) as never,
});

const coverage = new ChartCoverage([greetingMachine]);

/** A store whose lookups wait until `release()`: the hello is in, its answer is not. */
function heldStore(): { store: SessionStore; lookups: () => number; release: () => void } {
  const inner = memoryStore();
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let lookups = 0;
  return {
    store: {
      get: (id) => {
        lookups++;
        return gate.then(() => inner.get(id));
      },
      put: (id, record, ttlMs) => inner.put(id, record, ttlMs),
      delete: (id) => inner.delete(id),
    },
    lookups: () => lookups,
    release: () => open(),
  };
}

describe.sequential('greeting chart: generated paths against resumable(wss)', () => {
  const h = useHarness();
  const paths = model.getShortestPaths() as unknown as {
    steps: { event: EventObject; state: GreetingSnapshot }[];
  }[];

  for (const variant of ['silent', 'held'] as const) {
    it(`runs ${paths.length} paths against a resumable server (${variant} socket)`, async () => {
      expect(paths.length).toBe(2);
      const server = await h.wsServer();
      for (const path of paths) {
        const description = `${variant}: ${path.steps
          .slice(1)
          .map((s) => s.event.type.replace('xstate.', ''))
          .join(' → ')}`;
        const clock = new TestClock();
        let chartValue: unknown = null;
        const inspect = (event: InspectionEvent) => {
          coverage.observer(event);
          if (event.type !== '@xstate.snapshot') return;
          const snapshot = event.snapshot as GreetingSnapshot;
          if (snapshot.machine?.id === 'greeting') chartValue = snapshot.value;
        };
        const held = heldStore();
        const rs = resumable(server.wss, {
          clock,
          inspect,
          helloTimeoutMs: HELLO_TIMEOUT,
          store: held.store,
        });
        const sessions: unknown[] = [];
        rs.on('session', (s) => sessions.push(s));
        let silent: Awaited<ReturnType<typeof silentSocket>> | null = null;
        const client = new RawResumeClient();
        /** The held client's connect(): its outcome, or the close code that ended it. */
        let outcome: unknown = null;
        try {
          if (variant === 'silent') {
            silent = await silentSocket(server.url);
          } else {
            client.connect(server.url).then(
              (answer) => {
                outcome = answer;
              },
              (error: { code?: number }) => {
                outcome = error.code;
              },
            );
            await waitFor(() => held.lookups() > 0, {
              message: `the hello reached the store (${description})`,
            });
          }
          for (const [index, step] of path.steps.entries()) {
            if (index > 0) {
              const type = step.event.type;
              if (type === 'greeting.settled') {
                if (silent) silent.ws.terminate();
                else held.release();
              } else if (!(await clock.fire(HELLO_TIMEOUT))) {
                throw new Error(`no helloTimeout timer (${description})`);
              }
            }
            const expected = JSON.stringify(step.state.value);
            await waitFor(() => JSON.stringify(chartValue) === expected, {
              message: `after step ${index} of ${description}: chart ${expected}, server ${JSON.stringify(chartValue)}`,
            });
            // The server's side of what the chart says.
            const state = step.state.value;
            if (state === 'waiting') {
              expect(clock.pendingDelays()).toEqual([HELLO_TIMEOUT]);
              expect(silent?.closed() ?? null).toBeNull();
              expect(sessions).toHaveLength(0);
            }
            if (state === 'timedOut') {
              if (silent) {
                const socket = silent;
                await waitFor(() => socket.closed() !== null, { message: `closed (${description})` });
                expect(socket.closed()).toBe(1013);
              } else {
                await waitFor(() => outcome !== null, { message: `the client's end (${description})` });
                expect(outcome).toBe(1013);
                held.release();
              }
              expect(sessions).toHaveLength(0);
            }
            if (state === 'settled' && !silent) {
              await waitFor(() => outcome !== null, { message: `the client's welcome (${description})` });
              expect(outcome).toEqual({ outcome: 'new' });
              expect(sessions).toHaveLength(1);
            }
            if (state !== 'waiting') expect(clock.pendingDelays()).toEqual([]);
          }
        } finally {
          held.release();
          await rs.close();
          await client.close();
          silent?.ws.terminate();
        }
        expect(clock.pending).toBe(0);
        expect(rs.size).toBe(0);
      }
    });
  }

  it('covers every state and transition of the greeting chart', () => {
    console.log('greeting chart coverage by the server:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
