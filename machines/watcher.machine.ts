/**
 * The watcher statechart: the health of one service that has no socket to hold, told by probes.
 *
 * Owns: when to probe (startup backoff, then background polling), how long a probe may take, and
 * the ready / not-ready edges. Does not own: the probe itself (the invoked `probe` actor that
 * src/ supplies), callbacks, clocks. Scope boundary: reports its edges as emitted `watcher.ready`
 * and `watcher.down` events; nobody reads its context but status().
 *
 *   starting ─ probing ─ok→ ready (emit watcher.ready)
 *      │         └fail/timeout→ waiting ─after retryDelay→ probing     (at most maxAttempts probes, ≥ 1:
 *      │                                                       the first is always made; src/ refuses 0)
 *      └─(attempts used up)→ down (no edge: it was never ready)
 *   ready { idle ─after pollInterval→ probing ─ok→ idle }  ─fail/timeout→ down (emit watcher.down)
 *     (after failuresBeforeDown consecutive failures: a failure tolerated [failureTolerated] goes
 *     back to idle, still ready, lastError kept; a poll that finds a timed-out probe still running
 *     is a failure too, without a probe: idle ─after pollInterval [abandoned, tolerated]→ idle)
 *   down  { idle ─after pollInterval→ probing ─fail→ idle } ─ok→ ready (emit watcher.ready)
 *     (after successesBeforeUp consecutive successes: a success tolerated [successTolerated] goes
 *     back to idle, still down; a failure resets the count)
 *   any ─watcher.stop→ stopped (final; leaving `probing` aborts the probe)
 *
 * At most one probe in flight: a probe timed out and aborted may ignore its signal and keep
 * running (a promise cannot be killed). Until src/ says it settled (`watcher.probeSettled`), the
 * next startup retry or poll does not start another: it waits in `held` (not ready, lastError
 * saying why) and probes as soon as the abandoned one settles.
 *   starting.waiting ─after retryDelay [abandonedProbeRunning]→ starting.held ─probeSettled→ starting.probing
 *   down.idle ─after pollInterval [abandonedProbeRunning]→ down.held ─probeSettled→ down.probing
 *
 * Edges are emitted once per edge, never per probe. Idempotent: watcher.stop in stopped.
 */
import { and, assign, emit, fromPromise, setup } from 'xstate';
import { type BackoffOptions, type BackoffState, initialBackoffState, nextDelay } from './policy/backoff.js';
import { seedRandom } from './policy/random.js';
import { WATCHER_DEFAULTS } from './policy/watcher.js';

/**
 * What a health watcher's chart is started with: its name and policy (the probe itself is an actor
 * provided by the runtime).
 */
export interface WatcherInput {
  name: string;
  backoff?: Partial<BackoffOptions>;
  pollIntervalMs?: number;
  probeTimeoutMs?: number;
  failuresBeforeDown?: number;
  successesBeforeUp?: number;
  seed?: number;
}

/** A probe failure, as plain redacted data. */
export interface ProbeError {
  message: string;
  code?: string;
  timeout?: boolean;
  /** The HTTP status of a probe that answered a response outside 200–399, or the numeric
   * `status` of the error a probe threw (an HTTP client's error). */
  status?: number;
}

/**
 * The watcher chart's context: its policy, the startup retry state, probe and failure counts, the
 * last error.
 */
export interface WatcherContext {
  name: string;
  backoff: BackoffOptions;
  pollIntervalMs: number;
  probeTimeoutMs: number;
  /** Consecutive failed probes of a ready watcher that make it down (Kubernetes' failureThreshold). */
  failuresBeforeDown: number;
  /** Consecutive successful probes of a down watcher that make it ready (Kubernetes' successThreshold). */
  successesBeforeUp: number;
  retry: BackoffState;
  /** Delay before the next startup probe, in ms. */
  nextDelayMs: number | null;
  /** Startup probes made so far. */
  startupProbes: number;
  /** Consecutive failed probes. */
  failures: number;
  /** Consecutive successful probes. */
  successes: number;
  lastError: ProbeError | null;
  probes: number;
  /** A probe timed out (aborted) and src/ has not yet said it settled: no other probe starts. */
  abandonedProbe: boolean;
}

/** What a watcher accepts: stop, and src/'s word that a timed-out (abandoned) probe settled. */
export type WatcherEvent = { type: 'watcher.stop' } | { type: 'watcher.probeSettled' };

/** What a watcher emits on its edges: ready, and down with the probe's error. */
export type WatcherEmitted =
  | { type: 'watcher.ready'; name: string }
  | { type: 'watcher.down'; name: string; error: ProbeError };

function toProbeError(error: unknown): ProbeError {
  const e = error as { message?: unknown; code?: unknown; status?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const out: ProbeError = typeof e?.code === 'string' ? { message, code: e.code } : { message };
  if (typeof e?.status === 'number') out.status = e.status;
  return out;
}

/**
 * The watcher chart's `setup()`: its types and every action, guard, delay and actor by name; the
 * `probe` actor is provided by the runtime.
 */
export const watcherSetup = setup({
  // Stryker disable next-line ObjectLiteral: read by TypeScript only; no value at run time
  types: {
    context: {} as WatcherContext,
    events: {} as WatcherEvent,
    input: {} as WatcherInput,
    emitted: {} as WatcherEmitted,
  },
  actors: {
    /** Supplied by src/: runs the user's probe(signal). The default always fails. */
    probe: fromPromise<void, { name: string }>(async () => {
      throw new Error('no probe provided');
    }),
  },
  guards: {
    startupProbesLeft: ({ context }) => context.startupProbes < context.backoff.maxAttempts,
    abandonedProbeRunning: ({ context }) => context.abandonedProbe,
    /** A ready watcher stays ready through this failure: fewer than failuresBeforeDown in a row. */
    failureTolerated: ({ context }) => context.failures + 1 < context.failuresBeforeDown,
    /** A down watcher stays down through this success: fewer than successesBeforeUp in a row. */
    successTolerated: ({ context }) => context.successes + 1 < context.successesBeforeUp,
  },
  delays: {
    retryDelay: ({ context }) => context.nextDelayMs ?? 0,
    pollInterval: ({ context }) => context.pollIntervalMs,
    probeTimeout: ({ context }) => context.probeTimeoutMs,
  },
  actions: {
    countProbe: assign(({ context }) => ({ probes: context.probes + 1 })),
    countStartupProbe: assign(({ context }) => ({ startupProbes: context.startupProbes + 1 })),
    recordSuccess: assign(({ context }) => ({ failures: 0, successes: context.successes + 1 })),
    recordError: assign(({ context, event }) => ({
      failures: context.failures + 1,
      successes: 0,
      lastError: toProbeError((event as { error?: unknown }).error),
    })),
    recordTimeout: assign(({ context }) => ({
      failures: context.failures + 1,
      successes: 0,
      lastError: { message: `probe timed out after ${context.probeTimeoutMs} ms`, timeout: true },
      abandonedProbe: true,
    })),
    recordHeld: assign({
      lastError: { message: 'the last probe ignored its abort and is still running', timeout: true },
    }),
    /** A ready watcher's poll found the timed-out probe still running: a failure, no probe made
     * (`successes` is 0 already: that probe's timeout reset it, and no probe ran since). */
    recordHeldFailure: assign(({ context }) => ({
      failures: context.failures + 1,
      lastError: { message: 'the last probe ignored its abort and is still running', timeout: true },
    })),
    clearAbandoned: assign({ abandonedProbe: false }),
    planRetry: assign(({ context }) => {
      const { delayMs, state } = nextDelay(context.retry, context.backoff);
      return { retry: state, nextDelayMs: delayMs };
    }),
    announceReady: emit(({ context }) => ({ type: 'watcher.ready' as const, name: context.name })),
    announceDown: emit(({ context }) => ({
      type: 'watcher.down' as const,
      name: context.name,
      // Stryker disable next-line ObjectLiteral,StringLiteral: unreachable fallback: announceDown always follows recordError or recordTimeout
      error: context.lastError ?? { message: 'unknown' },
    })),
  },
});

/** `starting.held` and `down.held`: a timed-out probe still running holds the next one back until
 * src/ says it settled, then the state's own `probing` probes at once. */
const heldUntilSettled = {
  entry: 'recordHeld',
  on: { 'watcher.probeSettled': { target: 'probing', actions: 'clearAbandoned' } },
} as const;

/**
 * The health watcher statechart of a service without a socket: startup probes with backoff until
 * the first success, then background polls; ready / down edges (see docs/supervisor.md).
 */
export const watcherMachine = watcherSetup.createMachine({
  id: 'watcher',
  context: ({ input }) => {
    const backoff = { ...WATCHER_DEFAULTS.backoff, ...input.backoff };
    return {
      name: input.name,
      backoff,
      pollIntervalMs: input.pollIntervalMs ?? WATCHER_DEFAULTS.pollIntervalMs,
      probeTimeoutMs: input.probeTimeoutMs ?? WATCHER_DEFAULTS.probeTimeoutMs,
      failuresBeforeDown: input.failuresBeforeDown ?? WATCHER_DEFAULTS.failuresBeforeDown,
      successesBeforeUp: input.successesBeforeUp ?? WATCHER_DEFAULTS.successesBeforeUp,
      retry: initialBackoffState(seedRandom(input.seed ?? 0)),
      nextDelayMs: null,
      startupProbes: 0,
      failures: 0,
      successes: 0,
      lastError: null,
      probes: 0,
      abandonedProbe: false,
    };
  },
  initial: 'starting',
  on: {
    'watcher.stop': '.stopped',
    'watcher.probeSettled': { guard: 'abandonedProbeRunning', actions: 'clearAbandoned' },
  },
  states: {
    starting: {
      tags: ['pending'],
      initial: 'probing',
      states: {
        probing: {
          tags: ['probing'],
          entry: ['countProbe', 'countStartupProbe'],
          invoke: {
            id: 'probe',
            src: 'probe',
            input: ({ context }) => ({ name: context.name }),
            onDone: { target: '#watcher.ready', actions: ['recordSuccess', 'announceReady'] },
            onError: [
              { guard: 'startupProbesLeft', target: 'waiting', actions: 'recordError' },
              { target: '#watcher.down', actions: 'recordError' },
            ],
          },
          after: {
            probeTimeout: [
              { guard: 'startupProbesLeft', target: 'waiting', actions: 'recordTimeout' },
              {
                target: '#watcher.down',
                actions: 'recordTimeout',
                description: 'Startup probes used up: poll in the background (no edge: never ready).',
              },
            ],
          },
        },
        waiting: {
          entry: 'planRetry',
          after: { retryDelay: [{ guard: 'abandonedProbeRunning', target: 'held' }, { target: 'probing' }] },
        },
        held: heldUntilSettled,
      },
    },
    ready: {
      tags: ['ready'],
      initial: 'idle',
      states: {
        idle: {
          after: {
            pollInterval: [
              {
                guard: and(['abandonedProbeRunning', 'failureTolerated']),
                target: 'idle',
                reenter: true,
                actions: 'recordHeldFailure',
              },
              {
                guard: 'abandonedProbeRunning',
                target: '#watcher.down',
                actions: ['recordHeldFailure', 'announceDown'],
              },
              { target: 'probing' },
            ],
          },
        },
        probing: {
          tags: ['probing'],
          entry: 'countProbe',
          invoke: {
            id: 'probe',
            src: 'probe',
            input: ({ context }) => ({ name: context.name }),
            onDone: { target: 'idle', actions: 'recordSuccess' },
            onError: [
              { guard: 'failureTolerated', target: 'idle', actions: 'recordError' },
              { target: '#watcher.down', actions: ['recordError', 'announceDown'] },
            ],
          },
          after: {
            probeTimeout: [
              { guard: 'failureTolerated', target: 'idle', actions: 'recordTimeout' },
              { target: '#watcher.down', actions: ['recordTimeout', 'announceDown'] },
            ],
          },
        },
      },
    },
    down: {
      initial: 'idle',
      states: {
        idle: {
          after: {
            pollInterval: [{ guard: 'abandonedProbeRunning', target: 'held' }, { target: 'probing' }],
          },
        },
        held: heldUntilSettled,
        probing: {
          tags: ['probing'],
          entry: 'countProbe',
          invoke: {
            id: 'probe',
            src: 'probe',
            input: ({ context }) => ({ name: context.name }),
            onDone: [
              { guard: 'successTolerated', target: 'idle', actions: 'recordSuccess' },
              { target: '#watcher.ready', actions: ['recordSuccess', 'announceReady'] },
            ],
            onError: { target: 'idle', actions: 'recordError' },
          },
          after: { probeTimeout: { target: 'idle', actions: 'recordTimeout' } },
        },
      },
    },
    stopped: {
      type: 'final',
    },
  },
});

/** The type of `watcherMachine`. */
export type WatcherMachine = typeof watcherMachine;

/** The public state name of a watcher snapshot value. */
export function watcherStateName(value: unknown): 'starting' | 'ready' | 'down' | 'stopped' {
  if (typeof value === 'string') return value as 'stopped';
  return Object.keys(value as object)[0] as 'starting' | 'ready' | 'down';
}
