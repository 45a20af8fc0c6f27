/**
 * The shape of a statechart, read from the machine definition itself: its states (nested, with
 * their types and initial child) and every transition with what labels it — the event, the named
 * delay of a delayed transition (`after: { reconnectDelay }`), `always`, an invoked actor's
 * done/error, and the guard. Plain JSON: drawn by the inspector (src/inspector) and printed as
 * Mermaid by `toMermaid` (./to-mermaid.ts).
 *
 * Pure: walks `machine.root` (XState StateNodes); runs nothing.
 */
import type { AnyStateMachine } from 'xstate';

/** The kind of a state node, as XState names it. */
export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/**
 * What triggers a transition: an event, a named delay (`after`), `always`, an invoked actor's done
 * or error.
 */
export type ChartTransitionKind = 'event' | 'after' | 'always' | 'done' | 'error';

/** One transition of a chart: from which state, on what, under which guard, to which states. */
export interface ChartTransition {
  /** Path of the source state ('' is the root). */
  source: string;
  /** Paths of the targets; empty for a transition that changes no state (actions only). */
  targets: string[];
  kind: ChartTransitionKind;
  /** The event type as XState sees it (`xstate.after.…` for delays). */
  eventType: string;
  /** What a person reads: `transport.open`, `after reconnectDelay`, `always`, `done probe`. */
  event: string;
  /** The named delay (or ms) of a delayed transition. */
  delay?: string | number;
  /** The guard, readable: `shouldRetry`, `!shouldRetry`, `autoConnect && isInProcess`. */
  guard?: string;
  description?: string;
  /** The transition re-enters its source (restarts its timers). */
  reenter?: boolean;
}

/** One state of a chart, with its kind, parent and initial child. */
export interface ChartState {
  /** Dot path from the root ('' for the root itself), unique within the chart. */
  path: string;
  key: string;
  type: ChartStateType;
  /** Path of the initial child of a compound state. */
  initial?: string;
  description?: string;
  tags: string[];
  children: ChartState[];
}

/**
 * The shape of a statechart as plain JSON (`describeChart(machine)`): every state and transition,
 * as the inspector draws it and `toMermaid` prints it.
 */
export interface ChartModel {
  /** The machine id, e.g. `connection`. */
  id: string;
  root: ChartState;
  /** Every transition of every state, in document order. */
  transitions: ChartTransition[];
}

/** The small part of XState's StateNode this walker reads. */
interface NodeLike {
  key: string;
  path: string[];
  type: ChartStateType;
  description?: string;
  tags?: string[];
  states: Record<string, NodeLike>;
  initial?: { target?: readonly NodeLike[] };
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  invoke?: { id: string; src: unknown }[];
}

interface TransitionLike {
  eventType: string;
  target?: readonly NodeLike[];
  guard?: unknown;
  description?: string;
  reenter?: boolean;
  delay?: string | number;
}

/** A guard as text: names as they are, `not(...)` as `!`, `and`/`or` joined. */
export function guardText(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const g = guard as { name?: string; guards?: unknown[] };
    const parts = (g.guards ?? []).map((inner) => guardText(inner) ?? '?');
    if (g.name === 'not') return `!${wrap(parts[0] ?? '?')}`;
    if (g.name === 'and') return parts.map(wrap).join(' && ');
    if (g.name === 'or') return parts.map(wrap).join(' || ');
    return g.name ? g.name : 'guard';
  }
  if (typeof guard === 'object') {
    const type = (guard as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'guard';
  }
  return String(guard);
}

function wrap(text: string): string {
  return /\s/.test(text) ? `(${text})` : text;
}

const pathOf = (node: NodeLike) => node.path.join('.');

/** Reads an invoke's readable name for its done/error events. */
function invokeName(node: NodeLike, eventType: string): string {
  const id = eventType.replace(/^xstate\.(done|error)\.actor\./, '');
  const invoke = node.invoke?.find((inv) => inv.id === id);
  const src = invoke?.src;
  if (typeof src === 'string') return src;
  return invoke ? invoke.id : id;
}

function describeTransition(node: NodeLike, t: TransitionLike, always: boolean): ChartTransition {
  const source = pathOf(node);
  const targets = (t.target ?? []).map(pathOf);
  const guard = guardText(t.guard);
  let kind: ChartTransitionKind = 'event';
  let event = t.eventType;
  let delay: string | number | undefined;
  if (always) {
    kind = 'always';
    event = 'always';
  } else if (t.eventType.startsWith('xstate.after.')) {
    kind = 'after';
    delay = t.delay ?? t.eventType.split('.')[2];
    event = typeof delay === 'number' ? `after ${delay} ms` : `after ${delay}`;
  } else if (t.eventType.startsWith('xstate.done.actor.')) {
    kind = 'done';
    event = `done ${invokeName(node, t.eventType)}`;
  } else if (t.eventType.startsWith('xstate.error.actor.')) {
    kind = 'error';
    event = `error ${invokeName(node, t.eventType)}`;
  }
  return {
    source,
    targets,
    kind,
    eventType: always ? '' : t.eventType,
    event,
    ...(delay === undefined ? {} : { delay }),
    ...(guard === undefined ? {} : { guard }),
    ...(t.description ? { description: t.description } : {}),
    ...(t.reenter ? { reenter: true } : {}),
  };
}

function walk(node: NodeLike, transitions: ChartTransition[]): ChartState {
  for (const [, list] of node.transitions) {
    for (const t of list) transitions.push(describeTransition(node, t, false));
  }
  for (const t of node.always ?? []) transitions.push(describeTransition(node, t, true));
  const initialTarget = node.initial?.target?.[0];
  return {
    path: pathOf(node),
    key: node.key,
    type: node.type,
    ...(initialTarget ? { initial: pathOf(initialTarget) } : {}),
    ...(node.description ? { description: node.description } : {}),
    tags: [...(node.tags ?? [])],
    children: Object.values(node.states ?? {}).map((child) => walk(child, transitions)),
  };
}

/** The chart of `machine`, read from its definition. */
export function describeChart(machine: AnyStateMachine): ChartModel {
  const transitions: ChartTransition[] = [];
  const root = walk(machine.root as unknown as NodeLike, transitions);
  return { id: machine.id, root, transitions };
}

/** Every state of a chart, depth first (the root first). */
export function chartStates(chart: ChartModel): ChartState[] {
  const out: ChartState[] = [];
  const visit = (state: ChartState) => {
    out.push(state);
    for (const child of state.children) visit(child);
  };
  visit(chart.root);
  return out;
}

/** Paths of the active states of a snapshot value, ancestors included (`attempt`, `attempt.ready`…). */
export function activePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  if (!value || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path, ...activePaths(child, path));
  }
  return out;
}
