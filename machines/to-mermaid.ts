/**
 * `toMermaid(machine)`: a Mermaid `stateDiagram-v2` of any chart, read from its definition
 * (./chart-model.ts): nested states as composite states, transitions labelled with their event,
 * delayed transitions with their named delay (`after reconnectDelay`), eventless ones as
 * `always`, guards in brackets, final states to `[*]`. A transition that changes no state is
 * written as a line of its (atomic) state's description, under the name
 * (`beating : ↺ heartbeat.pong [pingOutstanding]`); those of compound states and of the root are
 * left out (Mermaid would show the line instead of the compound state's name). A transition of the root that does change state ("in any
 * state") is drawn from each top-level state it can leave. A grace state's copies of its sibling's
 * transitions (./chart-model.ts, `meta.graceFor`) are not drawn again: the atomic grace state says
 * `also as connecting on transport.open, link.close` under its name, as the inspector's badge does
 * (a compound grace state, which Mermaid gives no such line, keeps them as edges).
 *
 * The README and docs/ show the connection, socket, watcher and session charts with it;
 * test/inspector/mermaid-readme.test.ts fails when they drift. Pure and deterministic: the same chart always gives the same text.
 */
import type { AnyStateMachine } from 'xstate';
import {
  type ChartModel,
  type ChartState,
  type ChartTransition,
  chartStates,
  describeChart,
  graceCopies,
  graceNote,
} from './chart-model.js';

/** A transition's label: `event [guard]`. */
export function transitionLabel(t: ChartTransition): string {
  return t.guard ? `${t.event} [${t.guard}]` : t.event;
}

/** Mermaid ids: the state's key when unique in the chart, else its path with underscores. */
function idsOf(chart: ChartModel): Map<string, string> {
  const states = chartStates(chart).filter((s) => s.path !== '');
  const count = new Map<string, number>();
  for (const s of states) count.set(s.key, (count.get(s.key) ?? 0) + 1);
  const ids = new Map<string, string>();
  for (const s of states) {
    const plain = count.get(s.key) === 1 && /^[A-Za-z][A-Za-z0-9_]*$/.test(s.key);
    ids.set(s.path, plain ? s.key : s.path.replace(/[^A-Za-z0-9_]/g, '_'));
  }
  return ids;
}

const parentOf = (path: string) => (path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');

/** The composite whose block holds a transition: the common parent, or the root. */
function scopeOf(t: ChartTransition, target: string): string {
  const a = parentOf(t.source);
  return a === parentOf(target) ? a : '';
}

/**
 * Any chart as a Mermaid `stateDiagram-v2`: nested states, events, `after <delay>`, `always`,
 * `[guards]`, final states, and transitions that change no state as lines inside their state.
 */
export function toMermaid(machine: AnyStateMachine): string {
  return chartToMermaid(describeChart(machine));
}

/** The Mermaid text of an already described chart. */
export function chartToMermaid(chart: ChartModel): string {
  const ids = idsOf(chart);
  const id = (path: string) => ids.get(path) ?? path;
  const edges = new Map<string, string[]>();
  const notes = new Map<string, string[]>();
  const atomic = new Set(
    chartStates(chart)
      .filter((s) => s.children.length === 0)
      .map((s) => s.path),
  );
  // Copies noted on their (atomic) grace state, not drawn: `also as connecting on …`.
  const copies = new Map([...graceCopies(chart)].filter(([path]) => atomic.has(path)));
  for (const t of chart.transitions) {
    if ((copies.has(t.source) && t.repeats !== undefined) || t.via !== undefined) continue;
    if (t.targets.length === 0) {
      if (t.source === '') continue;
      const list = notes.get(t.source) ?? [];
      list.push(transitionLabel(t));
      notes.set(t.source, list);
      continue;
    }
    // A transition of the root ("in any state") is drawn from each top-level state it can leave.
    const sources =
      t.source === ''
        ? chart.root.children
            .filter((s) => s.type !== 'final' && !t.targets.includes(s.path))
            .map((s) => s.path)
        : [t.source];
    for (const source of sources) {
      for (const target of t.targets) {
        const scope = scopeOf({ ...t, source }, target);
        const list = edges.get(scope) ?? [];
        list.push(`${id(source)} --> ${id(target)}: ${transitionLabel(t)}`);
        edges.set(scope, list);
      }
    }
  }

  const lines: string[] = ['stateDiagram-v2'];
  const block = (state: ChartState, indent: string) => {
    if (state.initial) lines.push(`${indent}[*] --> ${id(state.initial)}`);
    state.children.forEach((child, i) => {
      if (state.type === 'parallel' && i > 0) lines.push(`${indent}--`);
      const childId = id(child.path);
      if (childId !== child.key) lines.push(`${indent}state "${child.key}" as ${childId}`);
      // Mermaid shows a state's first description line as its title: the name goes first.
      const own = child.children.length === 0 ? (notes.get(child.path) ?? []) : [];
      const copied = copies.get(child.path);
      if (own.length > 0 || copied) lines.push(`${indent}${childId} : ${child.key}`);
      for (const note of own) lines.push(`${indent}${childId} : ↺ ${note}`);
      if (copied) {
        const { heading, events } = graceNote(copied);
        lines.push(`${indent}${childId} : ${heading} ${events.join(', ')}`);
      }
      if (child.children.length > 0) {
        lines.push(`${indent}state ${childId} {`);
        block(child, `${indent}  `);
        lines.push(`${indent}}`);
      }
    });
    for (const edge of edges.get(state.path) ?? []) lines.push(`${indent}${edge}`);
    for (const child of state.children) {
      if (child.type === 'final') lines.push(`${indent}${id(child.path)} --> [*]`);
    }
  };
  block(chart.root, '  ');
  return `${lines.join('\n')}\n`;
}
