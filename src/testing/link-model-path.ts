/**
 * One path of a link test model (link-model.ts) and how it runs: the real runtime — a supervisor
 * (or the application's own code) on the in-memory network with a simulated clock — driven through
 * the path's events, checked at every step against the chart's snapshot, and nothing left after
 * its stop.
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import {
  type ConnectionEvent,
  type LinkStateName,
  linkStateName,
} from '../../machines/connection.machine.js';
import type { Link } from '../runtime/link.js';
import type { LinkOptions } from '../runtime/options.js';
import { createSupervisor, type Supervisor } from '../runtime/supervisor.js';
import { createMemoryNetwork, type MemoryNetwork } from '../transports/memory-transport.js';
import type { Transport } from '../transports/transport.js';
import { checkFailure } from './check-failure.js';
import { LinkDriver } from './link-driver.js';
import { type ConnectionSnapshot, describeEvent } from './link-model-events.js';
import { type LinkModelConfig, linkModelOptions, MODEL_URL, ModelResolveGate } from './link-model-options.js';
import { checkLinkStep, LinkStepRecorder } from './link-step-check.js';
import { initialContextOf } from './link-step-contracts.js';
import { settle, TestClock } from './test-clock.js';

/** One step of a path, as the application's check sees it. */
export interface LinkModelStep {
  /** What happened (the model event). */
  event: ConnectionEvent;
  /** The link state the chart says the runtime must now be in. */
  state: LinkStateName;
  /** The chart's full snapshot after the step. */
  snapshot: ConnectionSnapshot;
  /** Index of the step in the path (0 = the initial state). */
  index: number;
}

/** What `path.run()` is given to start the code under test. */
export interface LinkModelEnvironment {
  /** Where the model's server listens. */
  url: string;
  /** Link options that match the model (delays, backoff, heartbeat, handshake). */
  options: LinkOptions;
  /** The in-memory transport to use (createSupervisor({ transport }) / defineLink(..., { transport })). */
  transport: Transport;
  /** The simulated clock to use (createSupervisor({ clock }) / createActor(..., { clock })). */
  clock: TestClock;
  /** An inspection observer: pass it to createSupervisor / createActor so the model finds the link. */
  inspect: (event: InspectionEvent) => void;
}

/**
 * How one path of a link test model runs your code: `start` it on the model's server and clock,
 * `check` it after every step, `stop` it at the end.
 */
export interface LinkModelRunOptions<App> {
  /** Starts the code under test. Default: a supervisor with one link. */
  start?: (env: LinkModelEnvironment) => App;
  /** Checks the application after each step (throw or `expect` to fail). */
  check?: (app: App, step: LinkModelStep) => void | Promise<void>;
  /** Stops the code under test. Default: closes the supervisor. */
  stop?: (app: App) => unknown;
  /** Extra inspection observer (e.g. ChartCoverage.observer). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/**
 * One lifecycle path generated from the connection chart: a readable description, its steps, and
 * `run()` against your code.
 */
export interface LinkModelPath {
  /** The events of the path, readable. */
  description: string;
  events: ConnectionEvent[];
  /** Each step: the event and the chart's snapshot after it (step 0: the initial state). */
  steps: { event: ConnectionEvent; state: ConnectionSnapshot }[];
  run<App = DefaultApp>(options?: LinkModelRunOptions<App>): Promise<void>;
}

/** What a path runs when `start` is not given: a supervisor with one link. */
export interface DefaultApp {
  supervisor: Supervisor;
  link: Link;
}

function defaultStart(env: LinkModelEnvironment): DefaultApp {
  // The model drives the link's reconnect switch itself: a `wake` raised by the supervisor when the
  // model's time jump is noticed would act behind its back.
  const supervisor = createSupervisor({
    transport: env.transport,
    clock: env.clock,
    inspect: env.inspect,
    networkSignals: false,
  });
  const link = supervisor.connect(env.url, env.options);
  return { supervisor, link };
}

async function defaultStop(app: unknown): Promise<void> {
  const { supervisor } = app as DefaultApp;
  await supervisor.terminate();
}

/** A runnable path through `steps` (step 0: the initial state). */
export function createLinkModelPath(
  config: Required<LinkModelConfig>,
  steps: { event: ConnectionEvent; state: ConnectionSnapshot }[],
): LinkModelPath {
  const events = steps.slice(1).map((s) => s.event);
  const description = events.length === 0 ? '(initial state)' : events.map(describeEvent).join(' → ');
  return {
    description,
    events,
    steps,
    async run<App>(options: LinkModelRunOptions<App> = {}) {
      const clock = new TestClock();
      const network: MemoryNetwork = createMemoryNetwork({ clock, inProcess: config.inProcess });
      const server = network.listen(MODEL_URL);
      const gate = new ModelResolveGate();
      if (!config.inProcess) server.hold();
      server.holdPongs();
      server.holdCloses();
      server.holdDrains();
      let linkActor: AnyActorRef | null = null;
      const recorder = new LinkStepRecorder(() => linkActor);
      const extra = options.inspect;
      const inspect = (event: InspectionEvent) => {
        if (event.type === '@xstate.actor' && !linkActor) {
          const logic = (event.actorRef as { logic?: { id?: string } }).logic;
          if (logic?.id === 'connection') linkActor = event.actorRef as AnyActorRef;
        }
        recorder.observer(event);
        if (typeof extra === 'function') extra(event);
        else extra?.next?.(event);
      };
      const env: LinkModelEnvironment = {
        url: MODEL_URL,
        options: linkModelOptions(config, gate),
        transport: network.transport,
        clock,
        inspect,
      };
      const start = options.start ?? (defaultStart as unknown as (env: LinkModelEnvironment) => App);
      const stop = options.stop ?? defaultStop;
      const app = start(env);
      const facade = (app as Partial<DefaultApp>).link;
      const driver = new LinkDriver(
        server,
        clock,
        () =>
          linkActor ??
          (() => {
            throw new Error(
              'the model found no link actor: pass env.inspect to createSupervisor/createActor',
            );
          })(),
        facade ? (data) => facade.send(data) : null,
        facade ?? null,
        gate,
      );
      try {
        await settle();
        let previous: ConnectionSnapshot | null = null;
        for (const [index, step] of steps.entries()) {
          if (index > 0) {
            recorder.begin();
            await driver.perform(step.event, steps[index - 1]?.state as ConnectionSnapshot);
          }
          const expected = step.state;
          const actual = (linkActor as AnyActorRef | null)?.getSnapshot() as ConnectionSnapshot | undefined;
          if (!actual) throw new Error('the model found no link actor');
          const where = `after step ${index} (${index === 0 ? 'start' : describeEvent(step.event)}) of: ${description}`;
          const problems = checkLinkStep({
            before: previous ? previous.context : initialContextOf(config, actual.context),
            beforeSnapshot: previous,
            after: actual,
            expected,
            event: index === 0 ? null : step.event,
            record: recorder.end(),
            nowMs: clock.now(),
          });
          if (problems.length > 0) throw new Error(`${where}:\n  ${problems.join('\n  ')}`);
          previous = actual;
          if (JSON.stringify(actual.value) !== JSON.stringify(expected.value)) {
            throw new Error(
              `state mismatch ${where}\n  chart:   ${JSON.stringify(expected.value)}\n  runtime: ${JSON.stringify(actual.value)}`,
            );
          }
          for (const tag of ['connected', 'pending'] as const) {
            if (actual.hasTag(tag) !== expected.hasTag(tag)) throw new Error(`tag ${tag} differs ${where}`);
          }
          // Attempts beyond maxAttempts share one model state (the key buckets them).
          const bucket = (n: number) => Math.min(n, expected.context.policy.backoff.maxAttempts);
          if (bucket(actual.context.retry.attempt) !== bucket(expected.context.retry.attempt)) {
            throw new Error(
              `retry attempt differs ${where}: chart ${expected.context.retry.attempt}, runtime ${actual.context.retry.attempt}`,
            );
          }
          const state = linkStateName(expected.value);
          try {
            await options.check?.(app, { event: step.event, state, snapshot: expected, index });
          } catch (error) {
            throw checkFailure(error, `${where}, the link ${state}`);
          }
        }
      } finally {
        await stop(app);
        await settle();
      }
      if (clock.pending !== 0) {
        throw new Error(
          `${clock.pending} timer(s) left after stop: ${clock.pendingDelays().join(', ')} ms (${description})`,
        );
      }
    },
  };
}
