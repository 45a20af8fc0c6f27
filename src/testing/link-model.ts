/**
 * Model-based tests of a link: paths generated from the connection chart (xstate/graph), each
 * run against the real runtime — a supervisor (or the application's own code) on the in-memory
 * network with a simulated clock — checking at every step that the runtime is where the chart
 * says it must be.
 *
 *   const model = createLinkTestModel({ handshake: true, heartbeat: true });
 *   for (const path of model.paths()) it(path.description, () => path.run());
 *
 * Every model event is performed for real: `transport.open` accepts a held connection attempt on
 * the memory server, `transport.closed` refuses it or drops the peer, `heartbeat.pong` answers a
 * held ping, a delayed transition fires its timer on the test clock (each named delay gets a
 * distinct value, so the clock can fire exactly that one).
 */
import { type AnyActorRef, type InspectionEvent, initialTransition, type Observer, transition } from 'xstate';
import { getAdjacencyMap, TestModel } from 'xstate/graph';
import {
  type ConnectionEvent,
  connectionMachine,
  type LinkStateName,
  linkStateName,
} from '../../machines/connection.machine.js';
import type { Link } from '../runtime/link.js';
import type { LinkOptions } from '../runtime/options.js';
import { createSupervisor, type Supervisor } from '../runtime/supervisor.js';
import { createMemoryNetwork, type MemoryNetwork } from '../transports/memory-transport.js';
import type { Transport } from '../transports/transport.js';
import { checkFailure } from './check-failure.js';
import { type CoveringWalkOptions, coveringWalks } from './covering-walks.js';
import { LinkDriver } from './link-driver.js';
import {
  type ConnectionSnapshot,
  describeEvent,
  linkModelCatalog,
  linkModelEvents,
  linkModelKey,
} from './link-model-events.js';
import {
  type LinkModelConfig,
  linkModelInput,
  linkModelOptions,
  MODEL_URL,
  ModelResolveGate,
  resolved,
} from './link-model-options.js';
import { checkLinkStep, LinkStepRecorder } from './link-step-check.js';
import { initialContextOf } from './link-step-contracts.js';
import { settle, TestClock } from './test-clock.js';

export type { CoveringWalkOptions } from './covering-walks.js';
export { LinkDriver, type ModelServer } from './link-driver.js';
export {
  type ConnectionSnapshot,
  describeEvent,
  linkModelEvents,
  linkModelKey,
} from './link-model-events.js';
export {
  type LinkModelConfig,
  linkModelInput,
  linkModelOptions,
  MODEL_DELAYS_MS,
  ModelResolveGate,
} from './link-model-options.js';

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

/**
 * Lifecycle paths of a link generated from the connection chart (`createLinkTestModel`), each
 * runnable against your code (docs/testing.md).
 */
export interface LinkTestModel {
  readonly config: Required<LinkModelConfig>;
  /** Shortest paths to every (state, incoming transition) of the chart. */
  paths(): LinkModelPath[];
  /**
   * Fewer, longer paths through the same nodes as `paths()` (every key the model's graph has):
   * each goes on through nodes no path has taken yet, and one ends in every state (covering-walks.ts).
   * Far fewer steps to run than `paths()` for the same nodes.
   */
  coveringPaths(options?: CoveringWalkOptions): LinkModelPath[];
  /** Every node of the model's graph (`linkModelKey` of a snapshot reached, with its incoming
   * edge): what `paths()` and `coveringPaths()` each go through, all of them. */
  keys(): string[];
  /** A path of these events from the initial state (throws at one the model does not offer). */
  pathFromEvents(events: ConnectionEvent[]): LinkModelPath;
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

function createPath(
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

/** Generates lifecycle paths for a link configuration, runnable against the real runtime. */
export function createLinkTestModel(config: LinkModelConfig = {}): LinkTestModel {
  const c = resolved(config);
  const input = linkModelInput(c);
  const events = linkModelEvents(c);
  const { offers } = linkModelCatalog(c);
  const model = new TestModel(connectionMachine as never, {
    events,
    serializeState: linkModelKey as never,
  });
  let graph: LinkModelGraph | null = null;
  const adjacency = (): LinkModelGraph => {
    graph ??= getAdjacencyMap(
      connectionMachine as never,
      {
        events,
        serializeState: linkModelKey,
        input,
      } as never,
    ) as unknown as LinkModelGraph;
    return graph;
  };
  return {
    config: c,
    paths() {
      return model
        .getShortestPaths({ input })
        .map((p) => createPath(c, (p as unknown as LinkModelPath).steps));
    },
    coveringPaths(options?: CoveringWalkOptions) {
      const map = adjacency();
      const root = Object.keys(map)[0] as string;
      const edges = new Map<string, { event: ConnectionEvent; to: string }[]>();
      const walks = coveringWalks<ConnectionEvent, WalkPosition>(
        {
          root,
          start: { snapshot: (map[root] as LinkModelGraph[string]).state, spent: false },
          edges: (key) => {
            const from = map[key];
            if (!from) return [];
            let out = edges.get(key);
            if (!out) {
              out = Object.values(from.transitions).map((t) => ({
                event: t.event,
                to: linkModelKey(t.state, t.event, from.state),
              }));
              edges.set(key, out);
            }
            return out;
          },
          isEnd: (key) => (map[key]?.state.status ?? 'done') === 'done',
          group: (key) => JSON.stringify(map[key]?.state.value),
          step: (position, event) => walkStep(offers, position, event),
        },
        options,
      );
      return walks.map((walk) =>
        createPath(
          c,
          walk.positions.map((position, i) => ({
            event:
              i === 0
                ? ({ type: 'xstate.init' } as unknown as ConnectionEvent)
                : (walk.events[i - 1] as ConnectionEvent),
            state: position.snapshot,
          })),
        ),
      );
    },
    keys() {
      return Object.keys(adjacency());
    },
    // Not xstate's getPathsFromEvents: it drops the input (every step stayed `idle`, no context).
    pathFromEvents(list: ConnectionEvent[]) {
      let [state] = initialTransition(connectionMachine, input);
      const steps = [{ event: { type: 'xstate.init' } as unknown as ConnectionEvent, state }];
      for (const event of list) {
        const at = `${describeEvent(event)} at step ${steps.length} (${JSON.stringify(state.value)})`;
        if (!offers(state, event)) throw new Error(`pathFromEvents: the model does not offer ${at}`);
        [state] = transition(connectionMachine, state, event);
        steps.push({ event, state });
      }
      return createPath(c, steps);
    },
  };
}

/** The one targetless delayed transition of the chart (ready.unmonitored's stableAfter): once it
 * has fired, its timer runs again only when the state is entered again. */
const SPENT_ONCE = 'xstate.after.stableAfter.connection.attempt.ready.unmonitored';

/** Where a covering walk is: the chart's snapshot, and whether the targetless timer of the state
 * it is in has fired (the snapshot does not hold it; shortest paths never fire it twice). */
interface WalkPosition {
  snapshot: ConnectionSnapshot;
  spent: boolean;
}

/** Takes `event` for real from `position`: offered there by the model, and not a spent timer. */
function walkStep(
  offers: (snapshot: ConnectionSnapshot, event: ConnectionEvent) => boolean,
  position: WalkPosition,
  event: ConnectionEvent,
): { key: string; position: WalkPosition } | null {
  const timer = (event.type as string) === SPENT_ONCE;
  if ((timer && position.spent) || !offers(position.snapshot, event)) return null;
  const [snapshot] = transition(connectionMachine, position.snapshot, event);
  const stays = snapshot.matches({ attempt: { ready: 'unmonitored' } });
  return {
    key: linkModelKey(snapshot, event, position.snapshot),
    position: { snapshot, spent: stays && (timer || position.spent) },
  };
}

/** The model's graph as xstate/graph builds it: each node's snapshot and where each event leads. */
type LinkModelGraph = Record<
  string,
  {
    state: ConnectionSnapshot;
    transitions: Record<string, { event: ConnectionEvent; state: ConnectionSnapshot }>;
  }
>;
