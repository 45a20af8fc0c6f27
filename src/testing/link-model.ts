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
import type { AnyActorRef, InspectionEvent, Observer, SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import {
  type ConnectionEvent,
  type ConnectionInput,
  connectionMachine,
  type LinkStateName,
  linkStateName,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Link } from '../link.js';
import { buildLinkParts } from '../link-runtime.js';
import type { LinkOptions } from '../options.js';
import { createSupervisor, type Supervisor } from '../supervisor.js';
import { createMemoryNetwork, type MemoryNetwork, type RefuseWith } from '../transports/memory-transport.js';
import type { Transport } from '../transports/transport.js';
import { settle, TestClock } from './test-clock.js';

export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

/** What kind of link the model describes. */
export interface LinkModelConfig {
  /** Run an application handshake (send "hello", await "ok"). Default false. */
  handshake?: boolean;
  /** Heartbeat on (protocol pings, answered when the model says). Default true. */
  heartbeat?: boolean;
  /** In-process transport: idle → ready, no connecting or handshaking. Default false. */
  inProcess?: boolean;
  /** Start in idle and wait for `link.connect`. Default true (connect at once). */
  autoConnect?: boolean;
  /** Retries before giving up: small and finite, so the model stays finite. Default 2. */
  maxAttempts?: number;
  /** Unanswered pings tolerated. Default 2 (so both heartbeat branches exist). */
  maxMissed?: number;
  /** Include application commands (close, reconnect, reconnect switch, overdue heartbeat).
   * Default true; set false when the application under test issues them itself. */
  commands?: boolean;
}

/** The distinct values of every named delay in a model run (ms). */
export const MODEL_DELAYS_MS = Object.freeze({
  connectTimeout: 1001,
  handshakeTimeout: 1002,
  closeTimeout: 1003,
  stableAfter: 1004,
  heartbeatInterval: 1005,
  heartbeatTimeout: 1006,
  reconnectDelay: 1007,
});

const MODEL_URL = 'mem://model';

const RETRYABLE: Reason = { kind: 'close', code: 1006, message: 'connection reset' };
const FATAL: Reason = { kind: 'close', code: 1008, message: 'policy violation' };
const CLEAN: Reason = { kind: 'close', code: 1000, message: 'normal closure' };

function resolved(config: LinkModelConfig): Required<LinkModelConfig> {
  return {
    handshake: config.handshake ?? false,
    heartbeat: config.heartbeat ?? true,
    inProcess: config.inProcess ?? false,
    autoConnect: config.autoConnect ?? true,
    maxAttempts: config.maxAttempts ?? 2,
    maxMissed: config.maxMissed ?? 2,
    commands: config.commands ?? true,
  };
}

/** Link options for the runtime that match the model (the delays above, no jitter). */
export function linkModelOptions(config: LinkModelConfig = {}): LinkOptions {
  const c = resolved(config);
  return {
    id: 'model',
    autoConnect: c.autoConnect,
    backoff: {
      initialDelayMs: MODEL_DELAYS_MS.reconnectDelay,
      maxDelayMs: MODEL_DELAYS_MS.reconnectDelay,
      multiplier: 1,
      jitter: 'none',
      maxAttempts: c.maxAttempts,
      stableAfterMs: MODEL_DELAYS_MS.stableAfter,
    },
    connectTimeoutMs: MODEL_DELAYS_MS.connectTimeout,
    handshakeTimeoutMs: MODEL_DELAYS_MS.handshakeTimeout,
    closeTimeoutMs: MODEL_DELAYS_MS.closeTimeout,
    heartbeat: c.heartbeat
      ? {
          mode: 'protocol',
          intervalMs: MODEL_DELAYS_MS.heartbeatInterval,
          timeoutMs: MODEL_DELAYS_MS.heartbeatTimeout,
          maxMissed: c.maxMissed,
        }
      : false,
    ...(c.handshake
      ? {
          handshake: async ({ send, next }) => {
            send('hello');
            const reply = String(await next());
            if (reply === 'ok') return;
            throw Object.assign(new Error(`handshake refused: ${reply}`), { fatal: reply === 'fatal' });
          },
        }
      : {}),
  };
}

/** The chart input the runtime builds from `linkModelOptions` (for the pure model): built by the
 * runtime's own `buildLinkParts`, so model and runtime cannot disagree on a number. */
export function linkModelInput(config: LinkModelConfig = {}): ConnectionInput {
  const c = resolved(config);
  const { transport } = createMemoryNetwork({ inProcess: c.inProcess });
  const { input } = buildLinkParts('link:model', MODEL_URL, linkModelOptions(c), {
    transport,
    clock: new TestClock(),
    seed: 0,
  });
  return input;
}

function afterEvent(delay: keyof typeof MODEL_DELAYS_MS, stateId: string): ConnectionEvent {
  return { type: `xstate.after.${delay}.${stateId}` } as unknown as ConnectionEvent;
}

/** Every event the environment and the application can cause, for a snapshot. */
export function linkModelEvents(config: LinkModelConfig = {}) {
  const c = resolved(config);
  const environment: ConnectionEvent[] = [
    { type: 'transport.open' },
    { type: 'transport.closed', reason: RETRYABLE },
    { type: 'transport.closed', reason: FATAL },
    { type: 'transport.closed', reason: CLEAN },
    { type: 'handshake.ok' },
    { type: 'handshake.failed', reason: { kind: 'handshake', message: 'refused' } },
    { type: 'handshake.failed', reason: { kind: 'handshake', message: 'refused', fatal: true } },
    { type: 'heartbeat.pong', rttMs: 0, proof: 'pong' },
    { type: 'heartbeat.pong', rttMs: null, proof: 'activity' },
    afterEvent('connectTimeout', 'connection.attempt.connecting'),
    afterEvent('handshakeTimeout', 'connection.attempt.handshaking'),
    afterEvent('closeTimeout', 'connection.attempt.closing'),
    afterEvent('stableAfter', 'connection.attempt.ready'),
    afterEvent('heartbeatInterval', 'connection.attempt.ready.beating'),
    afterEvent('heartbeatTimeout', 'connection.attempt.ready.awaitingPong'),
    afterEvent('reconnectDelay', 'connection.reconnecting'),
  ];
  const commands: ConnectionEvent[] = [
    { type: 'link.connect' },
    { type: 'link.close' },
    { type: 'link.reconnect' },
    { type: 'reconnect.disable' },
    { type: 'reconnect.enable' },
    { type: 'heartbeat.overdue' },
  ];
  const catalog = c.commands ? [...environment, ...commands] : environment;
  return (snapshot: ConnectionSnapshot): ConnectionEvent[] =>
    catalog.filter((event) => {
      // A final link is over: the runtime actor has stopped and hears nothing.
      if (snapshot.status === 'done') return false;
      // In closing, close and reconnect requests are swallowed on purpose (an empty transition,
      // which `can()` reports as not enabled): offer them, the runtime must ignore them too.
      const swallowed =
        snapshot.matches({ attempt: 'closing' }) &&
        (event.type === 'link.close' || event.type === 'link.reconnect');
      if (!swallowed && !snapshot.can(event)) return false;
      const closing = snapshot.matches({ attempt: 'closing' });
      const connecting = snapshot.matches({ attempt: 'connecting' });
      if (event.type === 'transport.closed') {
        // Closing completes with the server's echo, whatever its code: one variant is enough.
        if (closing) return event.reason === RETRYABLE;
        // A connection attempt is refused (error or HTTP status); it never closes cleanly.
        if (connecting) return event.reason !== CLEAN;
      }
      // Reconnect switch: only where it changes something (no idle self-loops to explore).
      if (event.type === 'reconnect.disable') return snapshot.context.reconnectEnabled;
      if (event.type === 'reconnect.enable') return !snapshot.context.reconnectEnabled;
      return true;
    });
}

function reasonClass(reason: Reason | undefined): string {
  if (!reason) return '';
  if (reason === FATAL || reason.fatal) return 'fatal';
  if (reason === CLEAN) return 'clean';
  return 'retryable';
}

/** The model's key of a snapshot: the state, the context that guards read, and the incoming edge
 * (source state and event), so shortest paths cover transitions, self-loops included, not only
 * states. */
export function linkModelKey(
  snapshot: ConnectionSnapshot,
  event: ConnectionEvent | undefined,
  previous?: ConnectionSnapshot,
): string {
  const c = snapshot.context;
  const edge = event
    ? `${event.type}:${reasonClass((event as { reason?: Reason }).reason)}${'proof' in event ? event.proof : ''}`
    : 'init';
  return JSON.stringify([
    snapshot.value,
    Math.min(c.retry.attempt, c.policy.backoff.maxAttempts),
    c.pongSeen,
    c.missedPongs,
    c.reconnectEnabled,
    c.stable,
    c.pingOutstanding,
    // The edge: where it came from and by which event, so every transition (self-loops and
    // edges into an already-known state included) gets a node of its own.
    previous?.value ?? null,
    edge,
  ]);
}

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

export interface LinkModelPath {
  /** The events of the path, readable. */
  description: string;
  events: ConnectionEvent[];
  /** Each step: the event and the chart's snapshot after it (step 0: the initial state). */
  steps: { event: ConnectionEvent; state: ConnectionSnapshot }[];
  run<App = DefaultApp>(options?: LinkModelRunOptions<App>): Promise<void>;
}

export interface DefaultApp {
  supervisor: Supervisor;
  link: Link;
}

export interface LinkTestModel {
  readonly config: Required<LinkModelConfig>;
  /** Shortest paths to every (state, incoming transition) of the chart. */
  paths(): LinkModelPath[];
  /** A path of the given events (from the initial state), for a scenario the graph does not pick. */
  pathFromEvents(events: ConnectionEvent[]): LinkModelPath;
}

/** Short names for path descriptions. */
export function describeEvent(event: ConnectionEvent): string {
  if (event.type.startsWith('xstate.after.')) return `after ${event.type.split('.')[2]}`;
  const reason = (event as { reason?: Reason }).reason;
  if (reason) return `${event.type}(${reasonClass(reason)})`;
  if (event.type === 'heartbeat.pong') return `heartbeat.pong(${event.proof})`;
  return event.type;
}

/** What the driver needs of a server under the test's control (the memory server is one; a
 * `ws` server that holds upgrades, pings and close echoes can be another). */
export interface ModelServer {
  /** Connection attempts waiting for a decision. */
  readonly pending: readonly { accept(): unknown; refuse(how?: RefuseWith): void }[];
  /** Open server-side peers, oldest first. */
  readonly peers: readonly { terminate(): void; close(code?: number): void; send(data: string): void }[];
  answerPings(): number;
  completeCloses(): number;
}

/** Performs model events on the real runtime: the server, the clock, the link actor. */
export class LinkDriver {
  constructor(
    private readonly server: ModelServer,
    private readonly clock: TestClock,
    private readonly link: () => AnyActorRef,
    private readonly send: ((data: string) => unknown) | null,
  ) {}

  async perform(event: ConnectionEvent, snapshot: ConnectionSnapshot): Promise<void> {
    const fail = (why: string): never => {
      throw new Error(`cannot perform ${describeEvent(event)} in ${JSON.stringify(snapshot.value)}: ${why}`);
    };
    const server = this.server;
    const peer = () => server.peers.at(-1) ?? fail('no open peer on the server');
    const type = event.type as string;
    if (type.startsWith('xstate.after.')) {
      const delay = type.split('.')[2] as keyof typeof MODEL_DELAYS_MS;
      if (!(await this.clock.fire(MODEL_DELAYS_MS[delay]))) fail(`no ${delay} timer pending`);
      return;
    }
    switch (event.type) {
      case 'transport.open': {
        const pending = server.pending[0] ?? fail('no connection attempt pending');
        pending.accept();
        break;
      }
      case 'transport.closed': {
        const kind = reasonClass(event.reason);
        if (snapshot.matches({ attempt: 'closing' })) {
          if (server.completeCloses() === 0) fail('no close handshake held');
        } else if (snapshot.matches({ attempt: 'connecting' })) {
          const pending = server.pending[0] ?? fail('no connection attempt pending');
          pending.refuse(kind === 'fatal' ? { status: 401 } : { error: 'ECONNREFUSED' });
        } else if (kind === 'retryable') {
          peer().terminate();
        } else {
          peer().close(kind === 'fatal' ? 1008 : 1000);
        }
        break;
      }
      case 'handshake.ok':
        peer().send('ok');
        break;
      case 'handshake.failed':
        peer().send(event.reason.fatal ? 'fatal' : 'no');
        break;
      case 'heartbeat.pong':
        if (event.proof === 'pong') {
          if (server.answerPings() === 0) fail('no ping held');
        } else {
          peer().send('activity');
        }
        break;
      case 'heartbeat.overdue': {
        if (!this.send) fail('no link facade to send through');
        // Timers suspended (sleep): time jumps, then the application sends.
        this.clock.jump(10 * MODEL_DELAYS_MS.heartbeatInterval);
        this.send?.('after sleep');
        break;
      }
      default:
        this.link().send(event);
    }
    await settle();
  }
}

function defaultStart(env: LinkModelEnvironment): DefaultApp {
  const supervisor = createSupervisor({ transport: env.transport, clock: env.clock, inspect: env.inspect });
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
      if (!config.inProcess) server.hold();
      server.holdPongs();
      server.holdCloses();
      let linkActor: AnyActorRef | null = null;
      const extra = options.inspect;
      const inspect = (event: InspectionEvent) => {
        if (event.type === '@xstate.actor' && !linkActor) {
          const logic = (event.actorRef as { logic?: { id?: string } }).logic;
          if (logic?.id === 'connection') linkActor = event.actorRef as AnyActorRef;
        }
        if (typeof extra === 'function') extra(event);
        else extra?.next?.(event);
      };
      const env: LinkModelEnvironment = {
        url: MODEL_URL,
        options: linkModelOptions(config),
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
      );
      try {
        await settle();
        for (const [index, step] of steps.entries()) {
          if (index > 0) await driver.perform(step.event, steps[index - 1]?.state as ConnectionSnapshot);
          const expected = step.state;
          const actual = (linkActor as AnyActorRef | null)?.getSnapshot() as ConnectionSnapshot | undefined;
          if (!actual) throw new Error('the model found no link actor');
          const where = `after step ${index} (${index === 0 ? 'start' : describeEvent(step.event)}) of: ${description}`;
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
          await options.check?.(app, {
            event: step.event,
            state: linkStateName(expected.value),
            snapshot: expected,
            index,
          });
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
  const model = new TestModel(connectionMachine as never, {
    events,
    serializeState: linkModelKey as never,
  });
  const toSteps = (path: { steps: { event: ConnectionEvent; state: ConnectionSnapshot }[] }) => path.steps;
  return {
    config: c,
    paths() {
      return model.getShortestPaths({ input }).map((p) => createPath(c, toSteps(p as never)));
    },
    pathFromEvents(list: ConnectionEvent[]) {
      const [path] = model.getPathsFromEvents(list, { input });
      if (!path) throw new Error('no path for these events');
      return createPath(c, toSteps(path as never));
    },
  };
}
