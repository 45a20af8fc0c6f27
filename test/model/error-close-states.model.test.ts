/**
 * `transport.error` (a socket that fires error: the chart arms its error-close grace,
 * machines/connection-error-close.ts) in every state of an attempt where the chart accepts it and
 * a socket is there to err, not only in `ready` (the model's own events offer it there alone,
 * src/testing/link-model-events.ts): handshaking, resuming and their grace turns, and closing (draining).
 * Each path is a generated one (model.paths()) that ends in such a state, then the error (the
 * memory peer errs without closing), then the socket's own close or the attempt's next step: run
 * against a real supervisor on the memory network with the simulated clock, every step checked
 * against the chart (state, tags, retry count, the actions it ran: src/testing/link-step-check.ts).
 * The chart accepts the event in the whole `attempt`; where the memory network has no peer to err
 * no model step can make it: connecting and connectGrace (no socket accepted yet) and
 * closing.closeSent (the close frame written, the peer detached while its close is held).
 */
import { describe, expect, it } from 'vitest';
import { getNextSnapshot } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import type { ConnectionEvent } from '../../machines/connection-types.js';
import { createLinkTestModel, type LinkModelConfig } from '../../src/testing/link-model.js';
import { type ConnectionSnapshot, linkModelCatalog } from '../../src/testing/link-model-events.js';

type Path = ReturnType<ReturnType<typeof createLinkTestModel>['paths']>[number];

/** The attempt's state a snapshot is in (`handshaking`, `closing.draining`…), or null outside `attempt`. */
function attemptState(snapshot: ConnectionSnapshot): string | null {
  const value = snapshot.value as { attempt?: unknown };
  if (typeof value !== 'object' || value === null || !('attempt' in value)) return null;
  const inner = value.attempt;
  if (typeof inner === 'string') return inner;
  const [[outer, sub]] = Object.entries(inner as object) as [[string, unknown]];
  return typeof sub === 'string' ? `${outer}.${sub}` : outer;
}

/** `path` with `events` taken after its last step, each step's state the chart's own (the steps
 * array is the one its run() walks). */
function extended(path: Path, events: ConnectionEvent[]): Path {
  for (const event of events) {
    const last = path.steps.at(-1) as Path['steps'][number];
    const state = getNextSnapshot(
      connectionMachine,
      last.state as never,
      event as never,
    ) as ConnectionSnapshot;
    path.steps.push({ event, state } as Path['steps'][number]);
    path.events.push(event);
  }
  return path;
}

const cases: [string, LinkModelConfig, string[]][] = [
  [
    'with handshake',
    { handshake: true, heartbeat: false, intensity: false },
    ['handshaking', 'handshakeGrace'],
  ],
  ['with resume', { resume: true, heartbeat: false, intensity: false }, ['resuming', 'resumeGrace']],
  ['without handshake', { heartbeat: false, intensity: false }, ['closing.draining']],
];

describe('connection chart: transport.error outside ready, against the runtime', () => {
  for (const [name, config, states] of cases) {
    it(`${name}: an error in ${states.join(', ')}`, async () => {
      const { catalog } = linkModelCatalog(config);
      const error = catalog.find((e) => e.type === 'transport.error') as ConnectionEvent;
      const dropped = catalog.find(
        (e) => e.type === 'transport.closed' && (e.reason as { code?: number }).code === 1006,
      ) as ConnectionEvent;
      expect(dropped).toBeDefined();
      const drained = { type: 'transport.drained' } as ConnectionEvent;
      const all = createLinkTestModel(config).paths();
      for (const state of states) {
        // The shortest generated paths into the state whose socket is up (a peer to err).
        const into = all
          .filter((p) => attemptState(p.steps.at(-1)?.state as ConnectionSnapshot) === state)
          .sort((a, b) => a.steps.length - b.steps.length)
          .slice(0, 2);
        expect(into.length, state).toBeGreaterThan(0);
        for (const path of into) {
          const last = path.steps.at(-1)?.state as ConnectionSnapshot;
          // The error arms the grace and changes no state; then the socket's own close ends the attempt.
          // Closing, the queue drains first (its close frame then written), then the close completes.
          const draining = state === 'closing.draining';
          const run = extended(path, [error, ...(draining ? [drained] : []), dropped]);
          const afterError = run.steps.at(draining ? -3 : -2);
          expect(JSON.stringify(afterError?.state.value)).toBe(JSON.stringify(last.value));
          await run.run();
        }
      }
    }, 120_000);
  }
});
