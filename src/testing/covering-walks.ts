/**
 * Walks that cover a graph's nodes with few steps: the paths a model test runs when every node of
 * its graph (a state with the context its guards read and its incoming edge: linkModelKey) must be
 * reached, and running a path (a fresh runtime, every step checked) costs far more than finding it.
 *
 * Shortest paths to every node (xstate/graph's `getShortestPaths`, prefixes of others dropped) take
 * one path per leaf of the shortest-path tree: a bushy tree, so thousands of short paths that each
 * replay a prefix from the start. Here each walk goes on through nodes no walk has taken yet, so a
 * walk covers many of them and the number of walks comes close to its floor: one per end node (a
 * final state ends a walk, so no two of them share one). Pure and deterministic.
 *
 * The rules, each checkable from the walks alone:
 * - every node reachable from the root is on some walk;
 * - every group (a state value) that has a node that is not an end node is where some walk ends,
 *   so stopping the runtime is tried in every state, as when each shortest path ended there;
 * - a walk is at most `maxSteps` events long, but for the shortest route to its first new node.
 */

/**
 * A graph to plan walks on, from `root`, and the real thing to take them in: each planned event is
 * taken with `step` from where the walk really is, so a walk's nodes are the ones its events reach
 * (a planning graph built from one snapshot per node may hold a node a given history does not
 * lead to: the walk then goes on from where it is).
 */
export interface WalkGraph<Event, Position> {
  /** The node every walk starts from. */
  readonly root: string;
  /** Where every walk starts. */
  readonly start: Position;
  /** The planned edges out of a node, in a fixed order (the walks are deterministic); none for a
   * node the graph does not hold. */
  edges(key: string): readonly { event: Event; to: string }[];
  /** Whether a walk that reaches the node ends there (a final state, or a node the graph does not
   * hold). */
  isEnd(key: string): boolean;
  /** The node's group (e.g. its state value): every group with a node that is not an end node is
   * where some walk ends. */
  group(key: string): string;
  /** Takes `event` from `position`: the node it leads to and the position after, or null if it
   * cannot be taken there (e.g. a timer that has fired and does not run again in this state). */
  step(position: Position, event: Event): { key: string; position: Position } | null;
}

/** One walk from the root: its events, the nodes it goes through and the positions it is in
 * (`keys[0]`, `positions[0]`: the root and the start). */
export interface CoveringWalk<Event, Position> {
  events: Event[];
  keys: string[];
  positions: Position[];
}

/** How walks are shaped. */
export interface CoveringWalkOptions {
  /** Longest walk, in events, beyond the route to its first new node (a failure stays readable).
   * Default 60. */
  maxSteps?: number;
  /** How far (in events) a walk looks through nodes already taken for one not taken yet before it
   * ends. Default 3. */
  lookahead?: number;
}

/** A planned edge. */
interface Edge<Event> {
  event: Event;
  to: string;
}

/**
 * Walks from `graph.root` through the nodes reachable from it (see the file's header for the rules
 * they keep); a node no walk could reach for real is left out (the caller checks what it needs).
 */
export function coveringWalks<Event, Position>(
  graph: WalkGraph<Event, Position>,
  options: CoveringWalkOptions = {},
): CoveringWalk<Event, Position>[] {
  const maxSteps = options.maxSteps ?? 60;
  const lookahead = options.lookahead ?? 3;
  const live = (key: string) => !graph.isEnd(key);
  const { order, via } = breadthFirst(graph);
  const open = new Set(order.slice(1));
  const tried = new Set<string>();
  const walks: CoveringWalk<Event, Position>[] = [];
  const walkTo = () => {
    const walk: CoveringWalk<Event, Position> = { events: [], keys: [graph.root], positions: [graph.start] };
    /** Takes the route's events for real; false once one cannot be taken or leads elsewhere. */
    const follow = (route: readonly Edge<Event>[]) => {
      for (const edge of route) {
        const next = graph.step(walk.positions.at(-1) as Position, edge.event);
        if (!next) return false;
        walk.events.push(edge.event);
        walk.keys.push(next.key);
        walk.positions.push(next.position);
        open.delete(next.key);
        if (next.key !== edge.to) return false;
      }
      return true;
    };
    return { walk, follow, at: () => walk.keys.at(-1) as string };
  };
  let next = 1;
  for (;;) {
    while (next < order.length && (!open.has(order[next] as string) || tried.has(order[next] as string)))
      next++;
    if (next >= order.length) break;
    const target = order[next] as string;
    tried.add(target);
    const { walk, follow, at } = walkTo();
    follow(routeBack(via, target));
    const budget = walk.events.length + maxSteps - lookahead - 1;
    while (live(at()) && walk.events.length < budget) {
      // The new live successor with the most new successors of its own (one that can be taken),
      // else the nearest new live node within the lookahead.
      const fresh = graph
        .edges(at())
        .filter((edge) => open.has(edge.to) && live(edge.to))
        .map((edge) => ({ edge, gain: graph.edges(edge.to).filter((after) => open.has(after.to)).length }))
        .sort((a, b) => b.gain - a.gain);
      const before = walk.events.length;
      for (const { edge } of fresh) {
        follow([edge]);
        if (walk.events.length > before) break;
      }
      if (walk.events.length > before) continue;
      const route = nearest(graph, at(), lookahead, (key) => open.has(key) && live(key));
      if (!route) break;
      follow(route);
      if (walk.events.length === before) break;
    }
    // End in a new end node nearby, if there is one (each needs a walk of its own).
    if (live(at())) follow(nearest(graph, at(), lookahead, (key) => open.has(key) && !live(key)) ?? []);
    if (walk.events.length > 0) walks.push(walk);
  }
  // Stopping the runtime in every state: a shortest walk to the first node of each group no walk
  // ends in.
  const ended = new Set(walks.map((w) => graph.group(w.keys.at(-1) as string)));
  for (const key of order) {
    const group = graph.group(key);
    if (!live(key) || ended.has(group)) continue;
    const { walk, follow } = walkTo();
    if (!follow(routeBack(via, key))) continue;
    ended.add(group);
    walks.push(walk);
  }
  return walks;
}

/** The nodes reachable from the root in the planning graph, nearest first, and the edge each was
 * first reached by. */
function breadthFirst<Event>(graph: WalkGraph<Event, unknown>) {
  const via = new Map<string, { from: string; edge: Edge<Event> } | null>([[graph.root, null]]);
  const order = [graph.root];
  for (let i = 0; i < order.length; i++) {
    const from = order[i] as string;
    if (graph.isEnd(from)) continue;
    for (const edge of graph.edges(from)) {
      if (via.has(edge.to)) continue;
      via.set(edge.to, { from, edge });
      order.push(edge.to);
    }
  }
  return { order, via };
}

/** The shortest planned route (at most `depth` events, through live nodes) from `from` to a node
 * `wanted` accepts, or null. */
function nearest<Event>(
  graph: WalkGraph<Event, unknown>,
  from: string,
  depth: number,
  wanted: (key: string) => boolean,
): Edge<Event>[] | null {
  const via = new Map<string, { from: string; edge: Edge<Event> } | null>([[from, null]]);
  let frontier = [from];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const further: string[] = [];
    for (const key of frontier) {
      for (const edge of graph.edges(key)) {
        if (via.has(edge.to)) continue;
        via.set(edge.to, { from: key, edge });
        if (wanted(edge.to)) return routeBack(via, edge.to);
        if (!graph.isEnd(edge.to)) further.push(edge.to);
      }
    }
    frontier = further;
  }
  return null;
}

/** The edges to `key` through the edge each node was first reached by (`via`). */
function routeBack<Event>(
  via: ReadonlyMap<string, { from: string; edge: Edge<Event> } | null>,
  key: string,
): Edge<Event>[] {
  const route: Edge<Event>[] = [];
  for (let step = via.get(key); step; step = via.get(step.from)) route.push(step.edge);
  return route.reverse();
}
