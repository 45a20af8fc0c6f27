/**
 * How a trace names what XState reports: a state node as a dot path from the chart's root, a
 * snapshot's value as a plain state value.
 */
import type { TraceStateValue } from './trace-format.js';

/** What the recorder reads of an XState state node. */
export interface StateNodeLike {
  path?: string[];
  id?: string;
}

/** A state node as a dot path from the chart's root (`attempt.ready`), as machines/chart-model.ts
 * names states; '' is the root. */
export function nodePath(node: StateNodeLike | undefined): string {
  return node?.path ? node.path.join('.') : (node?.id ?? '');
}

/** A snapshot's value as a plain state value (strings and nested records only). */
export function toStateValue(value: unknown): TraceStateValue {
  if (typeof value === 'string') return value;
  const out: Record<string, TraceStateValue> = {};
  for (const [key, inner] of Object.entries((value ?? {}) as Record<string, unknown>))
    out[key] = toStateValue(inner);
  return out;
}
