/**
 * What the inspector reads from an actor's snapshot for its panel and timeline: the public state
 * name, the live figures (attempt, next delay, round trip, …) and the reason of a change. One
 * reader per chart of ours (`connection`, `socket`, `watcher`); any other machine gets its state
 * value and, when its context has one, a `reason`/`lastError` message. Every text is scrubbed.
 */
import {
  type ConnectionContext,
  type LinkStateName,
  linkStateName,
  stateChangeDetails,
} from '../../machines/connection.machine.js';
import type { SocketContext } from '../../machines/socket.machine.js';
import { type WatcherContext, watcherStateName } from '../../machines/watcher.machine.js';
import type { ActorGroup, Figures } from './protocol.js';
import { scrubText } from './redact-value.js';

type Context = Record<string, unknown> | undefined;

const message = (reason: unknown): string | null => {
  const text = (reason as { message?: unknown } | null | undefined)?.message;
  return typeof text === 'string' ? scrubText(text) : null;
};

export function groupOfMachine(machine: string): ActorGroup {
  if (machine === 'socket') return 'supervisor';
  if (machine === 'connection') return 'links';
  if (machine === 'watcher') return 'watchers';
  return 'actors';
}

/** The deepest active path of a snapshot value (`attempt.ready.beating`). */
export function leafPath(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  if (key === undefined) return '';
  const rest = leafPath(child);
  return rest ? `${key}.${rest}` : key;
}

export function publicState(machine: string, value: unknown): string {
  try {
    if (machine === 'connection') return linkStateName(value);
    if (machine === 'watcher') return watcherStateName(value);
  } catch {
    // an unexpected value: fall through to the generic name
  }
  return leafPath(value).split('.')[0] ?? '';
}

export function figuresOf(machine: string, context: Context, now: number): Figures {
  if (!context) return {};
  if (machine === 'connection') {
    const c = context as unknown as ConnectionContext;
    const waiting = c.nextDelayMs !== null && c.nextDelayMs !== undefined;
    return {
      attempt: c.retry?.attempt ?? 0,
      nextDelayMs: c.nextDelayMs ?? null,
      retryAt: waiting ? now + (c.nextDelayMs ?? 0) : null,
      rttMs: c.rttMs ?? null,
      missedPongs: c.missedPongs ?? 0,
      readyCount: c.readyCount ?? 0,
      lastError: message(c.lastError),
      failure: message(c.failure),
      url: typeof c.label === 'string' ? scrubText(c.label) : '',
    };
  }
  if (machine === 'socket') {
    const c = context as unknown as SocketContext;
    return { peers: c.peers, ready: c.ready, reconnectEnabled: c.reconnectEnabled };
  }
  if (machine === 'watcher') {
    const c = context as unknown as WatcherContext;
    const waiting = c.nextDelayMs !== null && c.nextDelayMs !== undefined;
    return {
      attempt: c.startupProbes,
      maxAttempts: c.backoff?.maxAttempts,
      nextDelayMs: c.nextDelayMs ?? null,
      retryAt: waiting ? now + (c.nextDelayMs ?? 0) : null,
      probes: c.probes,
      failures: c.failures,
      lastError: message(c.lastError),
    };
  }
  const lastError = message(context.lastError) ?? message(context.reason);
  return lastError ? { lastError } : {};
}

/** Reason, attempt and next delay of a change into state `value` (only what the change is about). */
export function changeDetails(
  machine: string,
  context: Context,
  value: unknown,
): { reason?: string; attempt?: number; nextDelayMs?: number } {
  if (!context) return {};
  const to = machine === 'connection' ? publicState(machine, value) : leafPath(value);
  if (machine === 'connection') {
    // The same details a link's `state` event carries (one reader, one numbering of attempts).
    const details = stateChangeDetails(context as unknown as ConnectionContext, to as LinkStateName);
    const reason = message(details.reason);
    const out: { reason?: string; attempt?: number; nextDelayMs?: number } = {};
    if (reason) out.reason = reason;
    if (details.attempt !== undefined) out.attempt = details.attempt;
    if (details.delayMs !== undefined) out.nextDelayMs = details.delayMs;
    return out;
  }
  if (machine === 'watcher') {
    const c = context as unknown as WatcherContext;
    const out: { reason?: string; attempt?: number; nextDelayMs?: number } = {};
    const failing = to.endsWith('waiting') || to.startsWith('down');
    if (failing && c.failures > 0) {
      const reason = message(c.lastError);
      if (reason) out.reason = reason;
    }
    if (to.endsWith('waiting')) {
      out.attempt = c.startupProbes;
      if (typeof c.nextDelayMs === 'number') out.nextDelayMs = c.nextDelayMs;
    }
    return out;
  }
  if (machine === 'socket') return {};
  const reason = message(context.reason);
  return reason ? { reason } : {};
}
