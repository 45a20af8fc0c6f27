/**
 * The shape of a statechart, read from the machine definition itself: its states (nested, with
 * their types and initial child) and every transition with what labels it — the event, the named
 * delay of a delayed transition (`after: { reconnectDelay }`), `always`, an invoked actor's
 * done/error, and the guard. Plain JSON: drawn by the inspector (src/inspector) and printed as
 * Mermaid by `toMermaid` (./to-mermaid.ts).
 *
 * Grace states: a state marked `meta: { graceFor: '<sibling key>' }` waits a little longer for
 * what its sibling waited for (connectGrace for connecting), so it repeats some of the sibling's
 * transitions. Each of its event transitions whose whole list for that event (targets, guards,
 * actions, reenter, description) is the sibling's is marked `repeats`: the drawings leave those
 * out and note them on the grace state instead (docs/inspector.md, "Grace states").
 *
 * Pure: walks `machine.root` (XState StateNodes); runs nothing.
 */
import type { AnyStateMachine } from 'xstate';
import { CONNECTION_FOLDS } from './connection-folds.js';
import { chartOf } from './started-chart.js';

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
  /**
   * Path of the sibling state this transition is a copy of (same event, same list of targets,
   * guards and actions): set only on a grace state's transitions (`ChartState.graceFor`).
   */
  repeats?: string;
  /**
   * Path of the transient state (only `always` transitions) whose decision this guarded transition
   * takes at once: the next transition of its list runs the same actions into that state, whose
   * chain has a branch to this target (`ready ─transport.closed [backoffRetry]→ reconnecting`
   * beside `─transport.closed→ disconnected`). The drawings leave it out: the way through the
   * transient state shows where it goes (docs/inspector.md, "Straight edges").
   */
  via?: string;
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
  /** A grace state (`meta: { graceFor }`): the path of the sibling whose transitions it repeats. */
  graceFor?: string;
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
  meta?: { graceFor?: unknown };
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
  actions?: readonly unknown[];
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

/** Two action lists that run the same: the same items, or the same named action with equal params. */
function sameActions(a: readonly unknown[] = [], b: readonly unknown[] = []): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || sameNamedAction(x, b[i]));
}

function sameNamedAction(a: unknown, b: unknown): boolean {
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const x = a as { type?: unknown; params?: unknown };
  const y = b as { type?: unknown; params?: unknown };
  if (typeof x.type !== 'string' || x.type !== y.type) return false;
  if (x.params === y.params) return true;
  if (typeof x.params === 'function' || typeof y.params === 'function') return false;
  return JSON.stringify(x.params) === JSON.stringify(y.params);
}

/** Two guards that decide the same: the same object, or the same named guard. */
function sameGuard(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'function' || typeof b === 'function') return false;
  return guardText(a) === guardText(b);
}

/** The grace's list for one event runs as the sibling's does: same targets, guards, actions, order. */
function sameList(mine: readonly TransitionLike[], theirs: readonly TransitionLike[] | undefined): boolean {
  return (
    theirs !== undefined &&
    mine.length === theirs.length &&
    mine.every((t, i) => {
      const u = theirs[i] as TransitionLike;
      const targets = t.target ?? [];
      const others = u.target ?? [];
      return (
        targets.length === others.length &&
        targets.every((node, j) => node === others[j]) &&
        sameGuard(t.guard, u.guard) &&
        sameActions(t.actions, u.actions) &&
        !t.reenter === !u.reenter &&
        t.description === u.description
      );
    })
  );
}

/** The transient state whose decision guarded `t` takes at once (`ChartTransition.via`), if any:
 * `next` runs the same actions into it, and one of its `always` branches targets `t`'s target;
 * or `t` runs the actions of that way through it (`next`'s and the branch's, in any order), some
 * folded into one named action (./connection-folds.ts). */
function decidedBy(t: TransitionLike, next: TransitionLike | undefined): NodeLike | undefined {
  const into = next?.target?.length === 1 ? next.target[0] : undefined;
  const target = t.target?.length === 1 ? t.target[0] : undefined;
  if (!into || !target || !t.guard || into.transitions.size > 0) return undefined;
  const branch = (into.always ?? []).find((a) => a.target?.[0] === target);
  if (!branch) return undefined;
  const same =
    sameActions(t.actions, next?.actions) ||
    ((t.actions ?? []).some(isFold) &&
      sameActionSet(unfolded(t), [...(next?.actions ?? []), ...(branch.actions ?? [])]));
  return same ? into : undefined;
}

/** A named action that runs several in one (./connection-folds.ts: one assign for two). */
const isFold = (a: unknown): a is string => typeof a === 'string' && Object.hasOwn(CONNECTION_FOLDS, a);

/** `t`'s actions, each fold replaced by the actions it stands for (./connection-folds.ts). */
function unfolded(t: TransitionLike): unknown[] {
  return (t.actions ?? []).flatMap((a): readonly unknown[] =>
    isFold(a) ? (CONNECTION_FOLDS[a] ?? []) : [a],
  );
}

/** Two action lists that run the same actions, in any order. */
function sameActionSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  const left = [...a];
  return (
    a.length === b.length &&
    b.every((y) => {
      const at = left.findIndex((x) => x === y || sameNamedAction(x, y));
      return at >= 0 && left.splice(at, 1).length === 1;
    })
  );
}

/** The sibling a grace state names in `meta.graceFor`, if it is one. */
function graceSibling(node: NodeLike, parent: NodeLike | undefined): NodeLike | undefined {
  const key = node.meta?.graceFor;
  if (typeof key !== 'string' || key === node.key || !parent) return undefined;
  return Object.hasOwn(parent.states, key) ? parent.states[key] : undefined;
}

function walk(node: NodeLike, transitions: ChartTransition[], parent?: NodeLike): ChartState {
  const sibling = graceSibling(node, parent);
  for (const [eventType, list] of node.transitions) {
    const repeats =
      sibling && !eventType.startsWith('xstate.') && sameList(list, sibling.transitions.get(eventType))
        ? pathOf(sibling)
        : undefined;
    list.forEach((t, i) => {
      const described = describeTransition(node, t, false);
      const via = decidedBy(t, list[i + 1]);
      transitions.push({
        ...described,
        ...(repeats === undefined ? {} : { repeats }),
        ...(via === undefined ? {} : { via: pathOf(via) }),
      });
    });
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
    ...(sibling ? { graceFor: pathOf(sibling) } : {}),
    children: Object.values(node.states ?? {}).map((child) => walk(child, transitions, node)),
  };
}

/** The chart of `machine`, read from its definition (a started chart's, ./started-chart.ts: its
 * source's, `idle` and its edges included). */
export function describeChart(machine: AnyStateMachine): ChartModel {
  const chart = chartOf(machine);
  const transitions: ChartTransition[] = [];
  const root = walk(chart.root as unknown as NodeLike, transitions);
  return { id: chart.id, root, transitions };
}

/**
 * A grace state's copies of its sibling's transitions, by the grace state's path (document order):
 * the transitions the drawings leave out and note on the grace state instead.
 */
export function graceCopies(chart: ChartModel): Map<string, ChartTransition[]> {
  const copies = new Map<string, ChartTransition[]>();
  for (const t of chart.transitions) {
    if (t.repeats !== undefined) copies.set(t.source, [...(copies.get(t.source) ?? []), t]);
  }
  return copies;
}

/** How a drawing names a grace state's copies: `also as connecting on transport.open, link.close`
 * (the heading, then the copied events, each once). */
export function graceNote(copies: readonly ChartTransition[]): { heading: string; events: string[] } {
  const of = copies[0]?.repeats ?? '';
  return {
    heading: `also as ${of.slice(of.lastIndexOf('.') + 1)} on`,
    events: [...new Set(copies.map((t) => t.event))],
  };
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
