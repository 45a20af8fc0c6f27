/**
 * Health watchers: a service without a socket (a database, an HTTP API), watched by probes on
 * the watcher chart (machines/watcher.machine.ts). `probe(signal)` is the user's check; it is
 * aborted through `signal` when it takes longer than probeTimeoutMs or the watcher stops.
 */
import { createActor, fromPromise, type InspectionEvent, type Observer } from 'xstate';
import type { BackoffOptions } from '../../machines/policy/backoff.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import {
  MAX_FAILURES_BEFORE_DOWN,
  MAX_SUCCESSES_BEFORE_UP,
  WATCHER_DEFAULTS,
} from '../../machines/policy/watcher.js';
import {
  type ProbeError,
  type WatcherMachine,
  watcherMachine,
  watcherStateName,
} from '../../machines/watcher.machine.js';
import type { Clock } from '../util/clock.js';
import { describe, isRecord, shown } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkKnownKeys, checkNumber } from '../util/option-checks.js';
import { wallTimeOf } from '../util/wall-time.js';
import { guardedClock } from './guarded-clock.js';
import { isoTime } from './iso-time.js';
import { randomSeed } from './link-parts.js';
import { checkBackoff } from './policy-options.js';
import { answerFailure, plainError } from './watcher-probe-error.js';

/**
 * Options of `supervisor.watch()`: a name, a probe, its schedule and the ready / down callbacks
 * (docs/supervisor.md).
 */
export interface WatcherOptions {
  /** Unique within the supervisor; shown in status. */
  name: string;
  /** Not healthy if it rejects, throws or answers `false` (the error `the probe answered false`:
   * `async () => (await fetch(url)).ok`), an HTTP response (`(signal) => fetch(url, { signal })`)
   * whose status is outside 200–399 (Kubernetes httpGet's rule; the error has it as `status`), or
   * an object with `ok === false` and no numeric status; any other answer is healthy (a JSON body's
   * `{ status: 'DOWN' }` too: only a numeric status is read). Honour `signal`. */
  // biome-ignore lint/suspicious/noConfusingVoidType: `async () => { await check(); }` answers nothing
  probe: (signal: AbortSignal) => Promise<void | boolean | ProbeAnswer> | void | boolean | ProbeAnswer;
  /** Startup schedule (defaults: 2 s doubling to 60 s, at most 10 probes, no jitter). Its
   * `maxAttempts` is the number of startup probes, the first included, so at least 1 (a link's
   * counts retries): 0 is refused with LV_ERR_INVALID_OPTION. */
  backoff?: Partial<BackoffOptions>;
  /** Background probe interval, in ms (default 60 000). */
  pollIntervalMs?: number;
  /** Bound of one probe, in ms (default 10 000). */
  probeTimeoutMs?: number;
  /** Consecutive failed probes (a timeout is one) that take a ready watcher down: an integer from
   * 1 to 1 000, default 1 (Kubernetes' failureThreshold). Below it the watcher stays ready, its
   * `failures` and `lastError` telling; a success resets the count. */
  failuresBeforeDown?: number;
  /** Consecutive successful probes that make a down watcher ready again: an integer from 1 to
   * 1 000, default 1 (Kubernetes' successThreshold). Before it the watcher stays down, its
   * `successes` telling; a failure resets the count. */
  successesBeforeUp?: number;
  /** Called once per not-ready → ready edge. May throw or hang: the watcher carries on (a throw or
   * a rejection is reported on the supervisor's `error` event, LV_ERR_LISTENER). */
  onReady?: () => unknown;
  /** Called once per ready → not-ready edge, with (a copy of) the probe error (a throw or a rejection: as
   * `onReady`). */
  onDown?: (error: ProbeError) => unknown;
  /** Seed of the startup backoff's jitter (`backoff.jitter`; none by default), for reproducible
   * schedules in tests. Default: random per watcher. The supervisor's `seed` (its links') does not
   * reach watchers: give this one. */
  seed?: number;
}

/** An HTTP response a probe may answer (a fetch Response is one): healthy iff `status` is in
 * 200–399; without a numeric status, unhealthy iff `ok === false`. */
export interface ProbeAnswer {
  readonly status?: number;
  readonly statusText?: string;
  readonly ok?: boolean;
}

/** A watcher's status: plain JSON. */
export interface WatcherStatus {
  name: string;
  state: 'starting' | 'ready' | 'down' | 'stopped';
  ready: boolean;
  /** Startup probes made. */
  attempts: number;
  /** Consecutive failed probes (counting on while down). */
  failures: number;
  /** Consecutive successful probes (a down watcher is ready again at `successesBeforeUp`; counting
   * on while ready, as `failures` while down: one of the two is 0 after each probe). */
  successes: number;
  probes: number;
  lastError: ProbeError | null;
  /** ISO time the watcher last recorded a probe's outcome (success, failure, or its timeout: a
   * probe answering after its timeout or after stop() is not recorded), read through the
   * supervisor's clock (simulated in tests). */
  lastCheck: string | null;
  /** ISO time the watcher last became ready, while it is ready (the supervisor's clock, as `lastCheck`). */
  readySince: string | null;
}

const WATCHER_KEYS = new Set([
  'name',
  'probe',
  'backoff',
  'pollIntervalMs',
  'probeTimeoutMs',
  'failuresBeforeDown',
  'successesBeforeUp',
  'onReady',
  'onDown',
  'seed',
]);

interface WatcherEnv {
  clock: Clock;
  inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) | undefined;
  onEnd: (watcher: Watcher) => void;
  /** Where a callback's throw or rejection goes (the supervisor's `error` event). */
  onError: (error: LinkvisorError) => void;
}

function checkWatcherOptions(options: unknown): WatcherOptions {
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, WATCHER_KEYS, '');
  if (typeof options.name !== 'string' || options.name.trim() === '') {
    throw optionError(
      'name',
      `is required: a non-empty string naming the service, got ${typeof options.name === 'string' ? 'a blank string' : describe(options.name)}`,
    );
  }
  if (typeof options.probe !== 'function') {
    throw optionError(
      'probe',
      `is required: a function (signal) => Promise<void>, got ${describe(options.probe)}`,
    );
  }
  for (const key of ['onReady', 'onDown'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw optionError(key, `must be a function, got ${describe(options[key])}`);
    }
  }
  const out = { ...options } as unknown as WatcherOptions;
  if (options.backoff !== undefined) {
    // A link's backoff may be a function; a watcher's may not (checkBackoff would say it may).
    if (!isRecord(options.backoff))
      throw optionError('backoff', `must be an object, got ${describe(options.backoff)}`);
    // A watcher's maxAttempts counts its startup probes, the first included (a link's counts its
    // retries): with none it could never say whether the service is up. Before checkBackoff, whose
    // "between 0 and …" would be wrong for a negative one.
    const attempts = options.backoff.maxAttempts;
    if (typeof attempts === 'number' && attempts < 1) {
      throw optionError(
        'backoff.maxAttempts',
        `must be at least 1 (startup probes, the first included), got ${attempts}`,
      );
    }
    out.backoff = checkBackoff(options.backoff, 'backoff', WATCHER_DEFAULTS.backoff);
  }
  if (options.pollIntervalMs !== undefined)
    out.pollIntervalMs = checkNumber(options.pollIntervalMs, 'pollIntervalMs', { min: 1, max: MAX_TIMER_MS });
  if (options.probeTimeoutMs !== undefined)
    out.probeTimeoutMs = checkNumber(options.probeTimeoutMs, 'probeTimeoutMs', { min: 1, max: MAX_TIMER_MS });
  if (options.failuresBeforeDown !== undefined)
    out.failuresBeforeDown = checkNumber(options.failuresBeforeDown, 'failuresBeforeDown', {
      min: 1,
      max: MAX_FAILURES_BEFORE_DOWN,
      integer: true,
    });
  if (options.successesBeforeUp !== undefined)
    out.successesBeforeUp = checkNumber(options.successesBeforeUp, 'successesBeforeUp', {
      min: 1,
      max: MAX_SUCCESSES_BEFORE_UP,
      integer: true,
    });
  if (options.seed !== undefined)
    out.seed = checkNumber(options.seed, 'seed', { min: -(2 ** 53), integer: true });
  return out;
}

/** A copy of a probe error for the application (onDown, lastError(), status()): an edit of it
 * must not reach the chart's context, which the status, the health report and the inspector read. */
const copyOf = (error: ProbeError | null): ProbeError | null => (error ? { ...error } : null);

/**
 * A health watcher of a service without a socket (`supervisor.watch()`): `isReady()`,
 * `lastError()`, `status()`, `stop()`.
 */
export class Watcher {
  readonly name: string;
  readonly actor;
  private lastCheckAt: number | null = null;
  private readySinceAt: number | null = null;
  private readonly done: Promise<void>;

  /** @internal Watchers are made by `supervisor.watch()`. */
  constructor(options: WatcherOptions, env: WatcherEnv) {
    this.name = options.name;
    const wallNow = wallTimeOf(env.clock);
    // A probe aborted (timed out, or stopped) may ignore its signal and run on: the chart starts no
    // other until told it settled (`watcher.probeSettled`, once per aborted probe: when it settles,
    // or at its abort if it had already settled), so hung probes never pile up.
    const settledAfterAbort = () =>
      queueMicrotask(() => {
        if (this.actor.getSnapshot().status === 'active') this.actor.send({ type: 'watcher.probeSettled' });
      });
    const probe = fromPromise<void, { name: string }>(async ({ signal }) => {
      let settled = false;
      signal.addEventListener('abort', () => settled && settledAfterAbort(), { once: true });
      let answer: unknown;
      try {
        // A probe that throws at once, or returns a thenable that never settles, is a probe too.
        answer = await options.probe(signal);
      } catch (error) {
        throw plainError(error);
      } finally {
        settled = true;
        if (signal.aborted) settledAfterAbort();
      }
      const failure = answerFailure(answer);
      if (failure) throw failure;
    });
    const machine: WatcherMachine = watcherMachine.provide({ actors: { probe } });
    this.actor = createActor(machine, {
      id: `watcher:${options.name}`,
      input: {
        name: options.name,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
        ...(options.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: options.probeTimeoutMs }),
        ...(options.failuresBeforeDown === undefined
          ? {}
          : { failuresBeforeDown: options.failuresBeforeDown }),
        ...(options.successesBeforeUp === undefined ? {} : { successesBeforeUp: options.successesBeforeUp }),
        // Random per watcher, as per link: with jitter asked for, a fleet's watchers spread out
        // (one seed for all drew the same delays in every process).
        seed: options.seed ?? randomSeed(),
      },
      // A clock whose timer throws would break the actor: it cannot time the probes, the watcher stops.
      clock: guardedClock(env.clock, `watcher ${shown(options.name)} stopped`, (error) => {
        env.onError(error);
        queueMicrotask(() => void this.stop());
      }),
      ...(env.inspect ? { inspect: env.inspect } : {}),
    });
    /** Calls a user callback: whether it throws, rejects or hangs, the watcher is not affected; a
     * throw or a rejection is reported (LV_ERR_LISTENER naming the callback). */
    const call = (option: 'onReady' | 'onDown', fn: () => unknown) => {
      const report = (cause: unknown) =>
        env.onError(
          new LinkvisorError('LV_ERR_LISTENER', `watcher ${shown(this.name)}: ${option}() failed`, {
            option,
            cause,
          }),
        );
      try {
        Promise.resolve(fn()).catch(report);
      } catch (error) {
        report(error);
      }
    };
    this.actor.on('watcher.ready', () => {
      this.readySinceAt = wallNow();
      call('onReady', () => options.onReady?.());
    });
    this.actor.on('watcher.down', ({ error }) => {
      this.readySinceAt = null;
      call('onDown', () => options.onDown?.({ ...error }));
    });
    this.done = new Promise((resolve) => {
      const finish = () => {
        env.onEnd(this);
        resolve();
      };
      // `lastCheck` is when the chart recorded a probe's outcome: it left `probing` for anything
      // but `stopped` (success, failure, or its timeout). A probe that answers after its timeout
      // or after stop() reaches no chart (its actor is gone), so it stamps nothing.
      let probing = false;
      this.actor.subscribe({
        next: (snapshot) => {
          const wasProbing = probing;
          probing = snapshot.hasTag('probing');
          if (wasProbing && !probing && snapshot.status === 'active') this.lastCheckAt = wallNow();
          if (snapshot.status === 'done') finish();
        },
        complete: finish,
        error: finish,
      });
    });
    this.actor.start();
  }

  isReady(): boolean {
    return this.actor.getSnapshot().hasTag('ready');
  }

  /** The last probe error (a copy: editing it changes nothing of the watcher), or null. */
  lastError(): ProbeError | null {
    return copyOf(this.actor.getSnapshot().context.lastError);
  }

  status(): WatcherStatus {
    const snapshot = this.actor.getSnapshot();
    const state = watcherStateName(snapshot.value);
    const ready = snapshot.hasTag('ready');
    return {
      name: this.name,
      state,
      ready,
      attempts: snapshot.context.startupProbes,
      failures: snapshot.context.failures,
      successes: snapshot.context.successes,
      probes: snapshot.context.probes,
      lastError: copyOf(snapshot.context.lastError),
      lastCheck: isoTime(this.lastCheckAt),
      readySince: ready ? isoTime(this.readySinceAt) : null,
    };
  }

  /** Stops probing (aborting a probe in flight). Resolves when nothing of it is left running. */
  async stop(): Promise<void> {
    // Once stopped, the actor is final: sending to it again only earns an XState warning.
    if (this.actor.getSnapshot().status === 'active') this.actor.send({ type: 'watcher.stop' });
    await this.done;
    this.actor.stop();
  }
}

export function createWatcher(options: WatcherOptions, env: WatcherEnv): Watcher {
  return new Watcher(checkWatcherOptions(options), env);
}
