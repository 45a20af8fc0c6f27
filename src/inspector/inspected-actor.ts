/**
 * How the collector (./create-inspector.ts) reads one inspected actor and the event that moved
 * it: the logic it runs (only machines are shown), an event's readable name and its redacted
 * payload, the actor's row in the list, and whether its figures changed.
 */
import type { AnyActorRef, AnyStateMachine } from 'xstate';
import type { ActorInfo, ActorRow, Figures } from './protocol.js';
import { redactValue } from './redact-value.js';

/** The list row of an actor. */
export function rowOf(info: ActorInfo): ActorRow {
  return {
    id: info.id,
    machine: info.machine,
    chart: info.chart,
    group: info.group,
    ...(info.parent ? { parent: info.parent } : {}),
    status: info.status,
    state: info.state,
    leaf: info.leaf,
    changes: info.changes,
  };
}

/** The logic an actor runs (XState keeps it on the actor; its type does not say so). */
export function logicOf(ref: AnyActorRef): unknown {
  return (ref as unknown as { logic?: unknown }).logic;
}

export function isMachine(logic: unknown): logic is AnyStateMachine {
  const l = logic as { root?: unknown; config?: unknown; transition?: unknown } | undefined;
  return !!l && typeof l.transition === 'function' && !!l.root && !!l.config;
}

/** `xstate.after.reconnectDelay.connection.reconnecting` → `after reconnectDelay`. */
export function readableEvent(type: string): string {
  if (type === 'xstate.init') return 'start';
  if (type === 'xstate.stop') return 'stop';
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  const done = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (done) return `${done[1]} ${done[2]}`;
  return type;
}

/** An event's other fields than `type`, redacted. Copied field by field by redactValue: a rest
 * spread read every getter, and one that threw lost the whole transition from the timeline. */
export function payloadOf(event: unknown): unknown {
  if (!event || typeof event !== 'object') return undefined;
  const copy = redactValue(event);
  if (!copy || typeof copy !== 'object' || Array.isArray(copy)) return undefined;
  const { type: _type, ...rest } = copy as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** Figures are flat (primitives, and the queue's two numbers): compared field by field, as this
 * runs on every snapshot of every actor. */
export function sameFigures(a: Figures, b: Figures): boolean {
  const keys = Object.keys(a) as (keyof Figures)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (key !== 'queue' || !x || !y) return false;
    const qx = x as Figures['queue'] & object;
    const qy = y as Figures['queue'] & object;
    if (qx.messages !== qy.messages || qx.bytes !== qy.bytes) return false;
  }
  return true;
}
