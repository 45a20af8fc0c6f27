/**
 * The `ready()` calls waiting on one link (./link.ts): settled by the link's own steps (ready, or
 * its end: `settleWaiters`), or by their abort signal, never through listeners.
 */
import { describe, isRecord } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkLiteralKeys } from '../util/literal-keys.js';

/** The keys of `ready()`'s options: a misspelt one (`sigal`) is LV_ERR_UNKNOWN_OPTION, not ignored. */
const READY_KEYS: ReadonlySet<string> = new Set(['signal']);

/** How a waiting `ready()` ends: ready, ended (failed, closed, or stopped without either), aborted. */
export type WaitOutcome = 'ready' | 'ended' | 'aborted';

/** A link's waiting `ready()` calls (made on the first, dropped by the link when the last settles). */
export type ReadyWaiters = Set<(outcome: WaitOutcome) => void>;

/**
 * The `signal` of `ready()`'s options, checked at the call (LV_ERR_INVALID_OPTION naming
 * `options` — an AbortSignal itself too — or `signal`, LV_ERR_UNKNOWN_OPTION naming another key of a literal: an object of a
 * class is read for `signal` alone): one without an `addEventListener` is never kept among the
 * waiters (settling it threw out of the link's step and left the other waiters hanging). Taken as
 * `fetch` takes one: null is none, `removeEventListener` may be missing (then the call's abort
 * listener stays on it, harmless: a waiter settles once). A getter that throws is the signal's
 * own code: that call rejects (waitReady), `ready()` throws no raw error.
 */
export function readySignal(options: unknown): AbortSignal | undefined {
  // An AbortSignal itself (`ready(AbortSignal.timeout(…))`) was read as options without `signal`:
  // the call waited on forever.
  if (!isRecord(options) || 'aborted' in options)
    throw optionError('options', `must be an object as { signal }, got ${describe(options)}`);
  checkLiteralKeys(options, READY_KEYS);
  const signal = options.signal as AbortSignal | null | undefined;
  if (signal == null) return undefined;
  try {
    if (typeof signal.addEventListener === 'function') return signal;
  } catch {
    return signal;
  }
  throw optionError('signal', `must be an AbortSignal, got ${describe(signal)}`);
}

/** The calls waiting on each signal, across links, and its one abort listener: Node warns from
 * 11 listeners on an AbortSignal (one signal for the `ready()` of many links is a timeout's). */
const bySignal = new WeakMap<AbortSignal, [Set<() => void>, () => void]>();

/** Calls `onAbort` when `signal` aborts; returns what unhooks it (the signal's listener goes with
 * its last call). Throws what the signal's own code throws. */
function onAbortOf(signal: AbortSignal, onAbort: () => void): () => void {
  let entry = bySignal.get(signal);
  if (!entry) {
    const calls = new Set<() => void>();
    const fire = () => {
      for (const call of [...calls]) call();
    };
    signal.addEventListener('abort', fire, { once: true });
    entry = [calls, fire];
    bySignal.set(signal, entry);
  }
  const [calls, fire] = entry;
  calls.add(onAbort);
  return () => {
    calls.delete(onAbort);
    if (calls.size > 0 || bySignal.get(signal) !== entry) return;
    bySignal.delete(signal);
    signal.removeEventListener('abort', fire);
  };
}

/** LV_ERR_ABORTED: the signal's reason is the cause, as Node's AbortError of `events.once` carries
 * it (a polyfill's getter that throws leaves none). */
function abortedError(signal: AbortSignal | undefined, message: string): LinkvisorError {
  let cause: unknown;
  try {
    cause = signal?.reason;
  } catch {
    // No cause then.
  }
  return new LinkvisorError('LV_ERR_ABORTED', message, { cause });
}

/**
 * A wait (`supervisor.whenUp()`, `group.ready()`) that `signal` (checked as `ready()`'s:
 * readySignal) aborts as it aborts `link.ready()`: one aborted already rejects at once, before
 * `start` is called (LV_ERR_ABORTED with `abortMessage`, the signal's reason its cause); else
 * `start(resolve, reject)` begins the wait (settling it at once if it can) and returns what stops
 * it, called once it has settled either way, as the signal's listener goes (nothing is left on
 * either). `link.ready()` keeps its own (waitReady): built on this one, the drop-in grew 55 B gzip.
 */
export function abortableWait<T>(
  signal: AbortSignal | undefined,
  abortMessage: string,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let stop: (() => void) | undefined;
    let unhook: (() => void) | undefined;
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      stop?.();
      try {
        unhook?.();
      } catch {
        // Settled below all the same.
      }
      settle();
    };
    const abort = () => finish(() => reject(abortedError(signal, abortMessage)));
    try {
      if (signal?.aborted) return abort();
      if (signal) unhook = onAbortOf(signal, abort);
    } catch (cause) {
      return finish(() =>
        reject(new LinkvisorError('LV_ERR_INVALID_OPTION', 'signal: threw', { option: 'signal', cause })),
      );
    }
    stop = start(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
    if (done) stop(); // settled inside start: stopped now that there is something to stop
  });
}

/**
 * One `ready()` call of link `linkId`, waiting in `waiters`: resolves when it is ready, rejects
 * when it ends (with `overError()`'s error) or `signal` aborts. `emptied`: the last one settled.
 * `now`: the link is ready or has ended at the call; a signal aborted already rejects it all the
 * same, first, whatever the state (as `fetch`, `events.once`: a ready link resolved it).
 * A signal whose own code throws (a broken polyfill) rejects this call alone (LV_ERR_INVALID_OPTION)
 * or is ignored as it is unwired: never the link's step, never the other waiters. Settles once.
 */
export function waitReady(
  waiters: ReadyWaiters,
  linkId: string,
  signal: AbortSignal | undefined,
  overError: () => LinkvisorError | null,
  emptied: () => void,
  now: WaitOutcome | null = null,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiter = (outcome: WaitOutcome | LinkvisorError) => {
      // Settled already: a signal that kept its abort listener (no or a throwing
      // removeEventListener) aborts later; emptied() then would drop the link's next waiters.
      if (!waiters.delete(waiter)) return;
      if (waiters.size === 0) emptied();
      try {
        unhook?.();
      } catch {
        // Settled below all the same.
      }
      if (outcome === 'ready') resolve();
      else if (outcome === 'aborted') {
        reject(abortedError(signal, `ready(): aborted for ${linkId}`));
      }
      // Failed, closed, or ended without either (stopped by its parent): never hang.
      else if (outcome === 'ended')
        reject(overError() ?? new LinkvisorError('LV_ERR_LINK_CLOSED', `link ${linkId} ended`));
      else reject(outcome);
    };
    let unhook: (() => void) | undefined;
    waiters.add(waiter);
    try {
      if (signal?.aborted) waiter('aborted');
      else if (now) waiter(now);
      else if (signal) unhook = onAbortOf(signal, () => waiter('aborted'));
    } catch (cause) {
      waiter(new LinkvisorError('LV_ERR_INVALID_OPTION', 'signal: threw', { option: 'signal', cause }));
    }
  });
}

/** Settles every waiting `ready()` (in the order of the calls). */
export function settleWaiters(waiters: ReadyWaiters | null, outcome: WaitOutcome): void {
  if (waiters) for (const waiter of [...waiters]) waiter(outcome);
}
