/**
 * What kind of link a model describes (LinkModelConfig) and the runtime's side of it: the link
 * options whose every named delay has a distinct value (MODEL_DELAYS_MS, so the test clock can
 * fire exactly one timer), and the chart input the runtime builds from them. The model's events
 * live in link-model-events.ts, the paths in link-model.ts.
 */
import type { ConnectionInput } from '../../machines/connection.machine.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { LINK_FEATURES } from '../runtime/link-features.js';
import { buildLinkParts } from '../runtime/link-parts.js';
import type { LinkOptions } from '../runtime/options.js';
import { createMemoryNetwork } from '../transports/memory-transport.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkKnownKeys, checkNumber, checkOneOf } from '../util/option-checks.js';
import { TestClock } from './test-clock.js';

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
  /** Resumable session (`resume` option): a `resuming` phase after open, answered by the model's
   * server. Default false. */
  resume?: boolean;
  /** Restart intensity: what one restart more than allowed does (`maxRestarts` 1, a window longer
   * than any path, a fixed cool-down), or false for none. Default 'cool-down'. */
  intensity?: 'cool-down' | 'fail' | false;
  /** Headers come from a per-attempt function, so a credentials rejection (HTTP 401, close
   * 3000) gets one fresh attempt at once; the model then offers such rejections. Default false. */
  perAttempt?: boolean;
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
  resumeTimeout: 1008,
  coolDown: 1008,
  /** The resumable session's ack timer (a delayed `resume.ackDue`, not an `after`). */
  ackDelay: 1009,
  /** No jitter in the model: the network's rejoin fires at once (a 0 ms timer). */
  rejoinDelay: 0,
  /** One I/O turn after a pong timeout (policy/timeouts.ts IO_TURN_MS), not an option: 0 like
   * rejoinDelay, which is never pending at the same time (rejoining is not in an attempt). */
  ioTurn: 0,
  /** From an attempt's start to its per-attempt function settling (links with `perAttempt`). */
  resolveTimeout: 1010,
  /** Derived: what is left of the heartbeat interval after the stable wait (1005 − 1004). */
  heartbeatRest: 1,
});

export const MODEL_URL = 'mem://model';

/**
 * The per-attempt function's side of a model run: each call waits until the model settles it
 * (`transport.opening` releases it, `transport.closed` in `resolving` rejects it), so the runtime
 * stays in `resolving` exactly as long as the chart.
 */
export class ModelResolveGate {
  private pending: { resolve(): void; reject(error: Error): void }[] = [];

  /** A call of the per-attempt function: `value` once the model releases it. */
  wait<T>(value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: () => resolve(value), reject });
    });
  }

  /** Settles every waiting call (the superseded attempts' ones are ignored by the runtime):
   * released, or rejected; returns how many there were. */
  settle(how: 'release' | 'reject'): number {
    const pending = this.pending;
    this.pending = [];
    for (const call of pending) {
      if (how === 'release') call.resolve();
      else call.reject(new Error('token endpoint unavailable'));
    }
    return pending.length;
  }
}

const CONFIG_KEYS: ReadonlySet<string> = new Set([
  'handshake',
  'heartbeat',
  'inProcess',
  'autoConnect',
  'maxAttempts',
  'maxMissed',
  'resume',
  'intensity',
  'perAttempt',
  'commands',
]);

/** Throws LV_ERR_UNKNOWN_OPTION / LV_ERR_INVALID_OPTION naming the key: a misspelt `handshake`
 * would otherwise give a model without the handshake, and the tests made of it would pass. */
function checkConfig(config: unknown): asserts config is LinkModelConfig {
  if (!isRecord(config)) throw optionError('config', `must be an object, got ${describe(config)}`);
  checkKnownKeys(config, CONFIG_KEYS, '');
  for (const key of [
    'handshake',
    'heartbeat',
    'inProcess',
    'autoConnect',
    'resume',
    'perAttempt',
    'commands',
  ]) {
    const value = config[key];
    if (value !== undefined && typeof value !== 'boolean')
      throw optionError(key, `must be a boolean, got ${describe(value)}`);
  }
  // Finite, so the model is (the retries are part of the state).
  if (config.maxAttempts !== undefined) checkNumber(config.maxAttempts, 'maxAttempts', { integer: true });
  if (config.maxMissed !== undefined)
    checkNumber(config.maxMissed, 'maxMissed', { min: 1, max: 1000, integer: true });
  if (config.intensity !== undefined && config.intensity !== false)
    checkOneOf(config.intensity, ['cool-down', 'fail'], 'intensity');
}

export function resolved(config: LinkModelConfig): Required<LinkModelConfig> {
  checkConfig(config);
  return {
    handshake: config.handshake ?? false,
    heartbeat: config.heartbeat ?? true,
    inProcess: config.inProcess ?? false,
    autoConnect: config.autoConnect ?? true,
    maxAttempts: config.maxAttempts ?? 2,
    maxMissed: config.maxMissed ?? 2,
    intensity: config.intensity ?? 'cool-down',
    perAttempt: config.perAttempt ?? false,
    commands: config.commands ?? true,
    resume: config.resume ?? false,
  };
}

/** Link options for the runtime that match the model (the delays above, no jitter). */
export function linkModelOptions(config: LinkModelConfig = {}, gate?: ModelResolveGate): LinkOptions {
  const c = resolved(config);
  const fresh = { authorization: 'Bearer fresh' };
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
    intensity: c.intensity
      ? {
          maxRestarts: 1,
          withinMs: MAX_TIMER_MS,
          // biome-ignore lint/suspicious/noThenProperty: a string, never callable, so never a thenable
          then: c.intensity,
          coolDownMs: MODEL_DELAYS_MS.coolDown,
          maxCoolDownMs: MODEL_DELAYS_MS.coolDown,
          jitterRatio: 0,
        }
      : false,
    ...(c.perAttempt ? { headers: () => (gate ? gate.wait(fresh) : { ...fresh }) } : {}),
    network: { rejoinJitterMs: MODEL_DELAYS_MS.rejoinDelay },
    resolveTimeoutMs: MODEL_DELAYS_MS.resolveTimeout,
    connectTimeoutMs: MODEL_DELAYS_MS.connectTimeout,
    handshakeTimeoutMs: MODEL_DELAYS_MS.handshakeTimeout,
    closeTimeoutMs: MODEL_DELAYS_MS.closeTimeout,
    ...(c.resume
      ? { resume: { resumeTimeoutMs: MODEL_DELAYS_MS.resumeTimeout, ackDelayMs: MODEL_DELAYS_MS.ackDelay } }
      : {}),
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
    ...LINK_FEATURES,
  });
  return input;
}
