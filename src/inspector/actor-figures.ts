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
import { GROUP_STRATEGY_DEFAULT, readyToBeUp } from '../../machines/policy/group.js';
import { groupOf, groupRestartTargets, type SocketContext } from '../../machines/socket.machine.js';
import { type WatcherContext, watcherStateName } from '../../machines/watcher.machine.js';
import type { ActorGroup, Figures } from './protocol.js';
import { scrubText } from './redact-value.js';

type Context = Record<string, unknown> | undefined;

/** Scrubbed messages of reasons already seen: a reason object is read on every snapshot of its
 * actor while it stays in context, and is never changed (context is replaced, not mutated). */
const scrubbed = new WeakMap<object, string | null>();

const message = (reason: unknown): string | null => {
  if (!reason || typeof reason !== 'object') return null;
  const known = scrubbed.get(reason);
  if (known !== undefined) return known;
  const text = (reason as { message?: unknown }).message;
  const out = typeof text === 'string' ? scrubText(text) : null;
  scrubbed.set(reason, out);
  return out;
};

/** A link's label is the same string for its whole life: scrubbed once. */
let lastLabel = '';
let lastScrubbed = '';
function scrubLabel(label: string): string {
  if (label !== lastLabel) {
    lastLabel = label;
    lastScrubbed = scrubText(label);
  }
  return lastScrubbed;
}

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

/** The live figures of an actor whose snapshot has `context` and state `value` (a watcher's
 * successes count toward its threshold only while it is down: they are shown then). */
export function figuresOf(machine: string, context: Context, now: number, value?: unknown): Figures {
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
      url: typeof c.label === 'string' ? scrubLabel(c.label) : '',
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
      failuresBeforeDown: c.failuresBeforeDown,
      ...(value !== undefined && publicState(machine, value) === 'down'
        ? { successes: c.successes, successesBeforeUp: c.successesBeforeUp }
        : {}),
      lastError: message(c.lastError),
    };
  }
  const lastError = message(context.lastError) ?? message(context.reason);
  return lastError ? { lastError } : {};
}

/**
 * The guards that are fixed for an actor's life, read from its context (a link's transport is
 * in-process or not, it has a handshake or not, a heartbeat or not): the page hides the
 * transitions they rule out for that actor. Only fields that are there are read.
 */
export function configOf(machine: string, context: Context): Record<string, boolean> | undefined {
  if (!context || machine !== 'connection') return undefined;
  const c = context as Partial<ConnectionContext>;
  // The traits are the policy's; traces recorded before they moved there carry them in the context.
  const traits = { ...(context as Record<string, unknown>), ...(c.policy as object | undefined) };
  const config: Record<string, boolean> = {};
  if (typeof traits.inProcess === 'boolean') config.isInProcess = traits.inProcess;
  if (typeof traits.hasHandshake === 'boolean') config.hasHandshake = traits.hasHandshake;
  if (typeof traits.autoConnect === 'boolean') config.autoConnect = traits.autoConnect;
  const mode = (c.policy?.heartbeat as { mode?: unknown } | undefined)?.mode;
  if (typeof mode === 'string') config.heartbeatEnabled = mode !== 'off';
  return Object.keys(config).length > 0 ? config : undefined;
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

/** What the socket chart's counts were, to tell its edges (first up, last down, the switch). */
export interface SocketMemo {
  ready: number;
  peers: number;
  reconnectEnabled: boolean;
  /** Per group: ready members, how many it needs to be up, and its strategy. */
  groups: Record<string, { ready: number; upAt: number; strategy: string }>;
}

export function socketMemo(context: Context): SocketMemo | null {
  if (!context) return null;
  const c = context as unknown as Partial<SocketContext>;
  const groups: SocketMemo['groups'] = {};
  for (const [name, count] of Object.entries(c.groups ?? {})) {
    const strategy = count.strategy ?? GROUP_STRATEGY_DEFAULT;
    groups[name] = { ready: count.ready, upAt: readyToBeUp(strategy, count.size ?? 0), strategy };
  }
  return {
    ready: c.ready ?? 0,
    peers: c.peers ?? 0,
    reconnectEnabled: c.reconnectEnabled ?? true,
    groups,
  };
}

/**
 * The socket's edges between two of its snapshots: `socket.up` (first link ready), `socket.down`
 * (last ready link gone), `group.up` / `group.down` per group of endpoints, and the reconnect
 * switch. The socket stays in `open` through all of them, so they are not state changes: without
 * these its timeline would show only `start open`.
 */
export function socketEdges(before: SocketMemo, after: SocketMemo): { event: string; note: string }[] {
  const edges: { event: string; note: string }[] = [];
  const of = `${after.ready} of ${after.peers} ready`;
  if (before.ready === 0 && after.ready > 0)
    edges.push({ event: 'socket.up', note: `first link ready (${of})` });
  if (before.ready > 0 && after.ready === 0)
    edges.push({ event: 'socket.down', note: `last link down (${of})` });
  for (const name of new Set([...Object.keys(before.groups), ...Object.keys(after.groups)])) {
    const group = after.groups[name] ?? before.groups[name];
    const upAt = group?.upAt ?? 1;
    const was = before.groups[name]?.ready ?? 0;
    const is = after.groups[name]?.ready ?? 0;
    const all = upAt > 1;
    const label = group && group.strategy !== GROUP_STRATEGY_DEFAULT ? `${name} (${group.strategy})` : name;
    if (was < upAt && is >= upAt)
      edges.push({
        event: 'group.up',
        note: all ? `${label}: all ${upAt} endpoints ready` : `${label}: first endpoint ready`,
      });
    if (was >= upAt && is < upAt)
      edges.push({
        event: 'group.down',
        note: all ? `${label}: ${is} of ${upAt} endpoints ready` : `${label}: no endpoint ready`,
      });
  }
  if (before.reconnectEnabled !== after.reconnectEnabled) {
    edges.push({
      event: after.reconnectEnabled ? 'reconnect.enable' : 'reconnect.disable',
      note: after.reconnectEnabled ? 'links may reconnect' : 'links will not reconnect',
    });
  }
  return edges;
}

/**
 * The group restart an event to the socket caused, if any: a member lost by itself whose group's
 * strategy restarts others (the chart's own guard and targets: machines/socket-setup.ts,
 * machines/socket-counts.ts).
 */
export function groupRestartOf(context: Context, event: unknown): { event: string; note: string } | null {
  const e = event as { type?: unknown; linkId?: unknown; reason?: { kind?: unknown } } | undefined;
  if (!context || e?.type !== 'link.lost' || typeof e.linkId !== 'string' || e.reason?.kind === 'group')
    return null;
  const c = context as unknown as SocketContext;
  const members = groupRestartTargets(c, e.linkId);
  if (members.length === 0) return null;
  const name = groupOf(e.linkId) as string;
  const strategy = c.groups[name]?.strategy ?? GROUP_STRATEGY_DEFAULT;
  return {
    event: 'group.restart',
    note: `${name} (${strategy}): ${e.linkId} lost, restarting ${members.join(', ')}`,
  };
}

/** What a link's record means for the supervisor's sparklines: a reconnect attempt starting
 * (reconnecting or suspended → attempt), a link leaving ready, or neither. */
export function sampleCounts(record: { from: string; to: string }): 'attempt' | 'lost' | null {
  const { from, to } = record;
  if ((from === 'reconnecting' || from === 'suspended') && to.startsWith('attempt')) return 'attempt';
  if (from.startsWith('attempt.ready') && !to.startsWith('attempt.ready')) return 'lost';
  return null;
}
