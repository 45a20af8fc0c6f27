/**
 * The connection chart's structure worked out once per machine, for the stepper (./stepper.ts,
 * rounds 42–43 in BENCHMARKS.md): for a state configuration and an event
 * type the candidate transitions in XState's document order, and for a chosen transition the exit
 * list, the entry list, the ordered action list and the next configuration — memoised on first use,
 * so a step runs only guards, assigns and actions.
 *
 * Derived from the machine's own StateNode tree, not a copy of the chart. It follows XState 5.33's
 * `transitionNode` / `StateNode.next` / `getCandidates` (selection), `selectEventlessTransitions`,
 * `getTransitionDomain` / `computeExitSet` / `computeEntrySet` / `enterStates` (SCXML microstep)
 * for what it supports: compound and atomic states, root-level final states, no parallel region,
 * no history, no invoke. Anything else throws `Unsupported` and the step goes to XState.
 *
 * XState internals read here (none is public API; each checked against xstate 5.33.3):
 * `machine.root`, `StateNode.states`, `.parent`, `.type`, `.order`, `.key`, `.id`, `.tags`,
 * `.transitions` (Map of event descriptor → transition objects), `.always`, `.after` (read once:
 * its getter pushes the after-raise into `.entry` and the cancel into `.exit`), `.entry`, `.exit`,
 * `.invoke`, `.initial` (`{ target, actions }`), `.output`, `.history`; a transition object's
 * `source`, `target`, `reenter`, `guard`, `actions`; `machine.root.output`.
 */

/** Thrown when the chart, a transition or an action is outside what the stepper handles. */
export class Unsupported extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: XState's StateNode and transition objects (internals).
export type Node = any;
// biome-ignore lint/suspicious/noExplicitAny: see Node.
export type Transition = any;

/** What a chosen transition does from a configuration. */
export interface Plan {
  /** The actions in XState's order: each exited state's exit, the transition's, each entered state's entry (and its initial transition's). */
  readonly actions: readonly unknown[];
  /** The configuration after it. */
  readonly next: Config;
  /** Whether the configuration changed (XState returns the same snapshot object when not and nothing assigned). */
  readonly moves: boolean;
  /** A root-level final state was entered: the machine is done. */
  readonly done: boolean;
  /** When done: every state's exit after the entries (XState's microstep on a done machine). */
  readonly doneExits: readonly unknown[];
}

/** One state configuration (its atomic state and every ancestor). */
export interface Config {
  readonly leaf: Node;
  /** The active state nodes, root first. */
  readonly nodes: readonly Node[];
  /** The state value, as XState's getStateValue builds it. */
  readonly value: unknown;
  readonly tags: ReadonlySet<string>;
  /** Candidate transitions by event type, leaf first (memoised). */
  readonly candidates: Map<string, readonly Transition[]>;
  /** Eventless transitions, leaf first. */
  readonly always: readonly Transition[];
  /** Plans by transition (memoised). */
  readonly plans: Map<Transition, Plan>;
}

/** XState's isDescendant (a node is a descendant of `undefined`). */
function isDescendant(child: Node, parent: Node | undefined): boolean {
  let marker = child;
  while (marker.parent && marker.parent !== parent) marker = marker.parent;
  return marker.parent === parent;
}

/** XState's getProperAncestors. */
function properAncestors(node: Node, upTo: Node | undefined): Node[] {
  const out: Node[] = [];
  if (upTo === node) return out;
  for (let m = node.parent; m && m !== upTo; m = m.parent) out.push(m);
  return out;
}

/** XState's matchesEventDescriptor. */
function matchesDescriptor(eventType: string, descriptor: string): boolean {
  if (descriptor === eventType || descriptor === '*') return true;
  if (!descriptor.endsWith('.*')) return false;
  const partial = descriptor.split('.');
  const tokens = eventType.split('.');
  for (let i = 0; i < partial.length; i++) {
    if (partial[i] === '*') return i === partial.length - 1;
    if (partial[i] !== tokens[i]) return false;
  }
  return true;
}

/** The chart's plans: configurations by atomic state id. */
export class ChartPlans {
  readonly root: Node;
  private readonly configs = new Map<string, Config>();

  constructor(machine: { root: Node }) {
    this.root = machine.root;
    if (this.root.output !== undefined) throw new Unsupported('machine output');
    const visit = (node: Node) => {
      if (node.type === 'parallel' || node.type === 'history')
        throw new Unsupported(`${node.type} state ${node.id}`);
      if (node.invoke.length > 0) throw new Unsupported(`invoke in ${node.id}`);
      if (node.type === 'final' && node.parent !== this.root)
        throw new Unsupported(`nested final ${node.id}`);
      void node.after; // XState adds each after-timer's raise to .entry and its cancel to .exit here.
      for (const child of Object.values<Node>(node.states)) visit(child);
    };
    visit(this.root);
  }

  /** The configuration whose atomic state is `leaf`. */
  config(leaf: Node): Config {
    let config = this.configs.get(leaf.id);
    if (config) return config;
    if (leaf.type !== 'atomic' && leaf.type !== 'final') throw new Unsupported(`not atomic: ${leaf.id}`);
    const nodes = [leaf, ...properAncestors(leaf, undefined)].reverse();
    const always: Transition[] = [];
    for (let n = leaf; n; n = n.parent) if (n.always) always.push(...n.always);
    let value: unknown = leaf.key;
    for (let n = leaf.parent; n?.parent; n = n.parent) value = { [n.key]: value };
    config = {
      leaf,
      nodes,
      value,
      tags: new Set(nodes.flatMap((n: Node) => n.tags)),
      candidates: new Map(),
      always,
      plans: new Map(),
    };
    this.configs.set(leaf.id, config);
    return config;
  }

  /** The configuration of an XState snapshot (`_nodes`, an internal). */
  configOf(nodes: readonly Node[]): Config {
    let leaf: Node | undefined;
    for (const n of nodes) {
      if (n.type !== 'atomic' && n.type !== 'final') continue;
      if (leaf !== undefined) throw new Unsupported('not one atomic state');
      leaf = n;
    }
    if (leaf === undefined) throw new Unsupported('not one atomic state');
    return this.config(leaf);
  }

  /** Candidates for an event type: each active node's, leaf first (StateNode.next per level). */
  candidates(config: Config, type: string): readonly Transition[] {
    const known = config.candidates.get(type);
    if (known) return known;
    const list: Transition[] = [];
    for (let n = config.leaf; n; n = n.parent) {
      const exact = n.transitions.get(type) ?? [];
      const wild = [...n.transitions.keys()]
        .filter((d: string) => d !== type && matchesDescriptor(type, d))
        .sort((a: string, b: string) => b.length - a.length)
        .flatMap((d: string) => n.transitions.get(d));
      list.push(...exact, ...wild);
    }
    config.candidates.set(type, list);
    return list;
  }

  /**
   * XState's initial microstep (`initialMicrostep`, an actor's start): from the pre-initial
   * configuration (the root alone, which it does not exit) through a transition of the root,
   * re-entering, to every initial state node (`getInitialStateNodes`, the root with them), each
   * entered by default (its entry, then its initial transition's actions; the root too, as
   * `enterStates` adds it when `isInitial`). Worked out once.
   */
  initialPlan(): Plan {
    if (this.initial) return this.initial;
    const targets: Node[] = [];
    for (let n = this.root; n; n = n.type === 'compound' ? n.initial.target[0] : undefined) targets.push(n);
    const start = { source: this.root, target: targets, reenter: true, actions: [] };
    // The pre-initial configuration: nothing to exit (XState's microstep exits none when initial).
    const pre = { nodes: [] as Node[], plans: new Map() } as unknown as Config;
    this.initial = this.makePlan(pre, start);
    return this.initial;
  }

  private initial: Plan | undefined;

  /** What transition `t` does from `config` (memoised). */
  plan(config: Config, t: Transition): Plan {
    let plan = config.plans.get(t);
    if (plan) return plan;
    plan = this.makePlan(config, t);
    config.plans.set(t, plan);
    return plan;
  }

  private makePlan(config: Config, t: Transition): Plan {
    if (!t.target?.length) {
      return { actions: [...t.actions], next: config, moves: false, done: false, doneExits: [] };
    }
    const targets: Node[] = t.target;
    for (const s of targets) if (s.type === 'history') throw new Unsupported('history target');
    const domain = this.domain(t, targets);
    // Exit set (computeExitSet), deepest first by document order.
    const exits = new Set<Node>();
    if (t.reenter && t.source === domain) exits.add(domain);
    for (const n of config.nodes) if (isDescendant(n, domain)) exits.add(n);
    const exitList = [...exits].sort((a, b) => b.order - a.order);
    // Entry set (computeEntrySet, without history or parallel regions).
    const enter = new Set<Node>();
    const byDefault = new Set<Node>();
    const descend = (s: Node) => {
      if (s.type !== 'compound') return;
      const [initial] = s.initial.target;
      enter.add(initial);
      byDefault.add(initial);
      descend(initial);
    };
    for (const s of targets) {
      if (t.source !== s || t.source !== domain || t.reenter) {
        enter.add(s);
        byDefault.add(s);
      }
      descend(s);
    }
    const reentrancy = !t.source.parent && t.reenter ? undefined : domain;
    for (const s of targets) {
      for (const anc of properAncestors(s, domain))
        if (!reentrancy || isDescendant(anc, reentrancy)) enter.add(anc);
    }
    const enterList = [...enter].sort((a, b) => a.order - b.order);
    const actions: unknown[] = [];
    for (const s of exitList) actions.push(...s.exit);
    actions.push(...t.actions);
    const after = new Set(config.nodes.filter((n) => !exits.has(n)));
    let done = false;
    for (const s of enterList) {
      after.add(s);
      actions.push(...s.entry);
      if (byDefault.has(s) && s.initial) actions.push(...s.initial.actions);
      if (s.type === 'final') done = true;
    }
    const next = this.configOf([...after]);
    const doneExits = done ? [...after].sort((a, b) => b.order - a.order).flatMap((n) => n.exit) : [];
    const same =
      next.nodes.length === config.nodes.length && next.nodes.every((n) => config.nodes.includes(n));
    return { actions, next, moves: !same, done, doneExits };
  }

  /** XState's getTransitionDomain (no history targets). */
  private domain(t: Transition, targets: Node[]): Node | undefined {
    if (!t.reenter && targets.every((s) => s === t.source || isDescendant(s, t.source))) return t.source;
    const [head, ...tail] = [...targets, t.source];
    for (const anc of properAncestors(head, undefined)) {
      if (tail.every((s) => isDescendant(s, anc))) return anc;
    }
    return t.reenter ? undefined : this.root;
  }
}
