/**
 * Model-based tests of a link: paths generated from the connection chart (xstate/graph), each
 * run against the real runtime — a supervisor (or the application's own code) on the in-memory
 * network with a simulated clock — checking at every step that the runtime is where the chart
 * says it must be.
 *
 *   const model = createLinkTestModel({ handshake: true, heartbeat: true });
 *   for (const path of model.paths()) it(path.description, () => path.run());
 *
 * Every model event is performed for real: `transport.open` accepts a held connection attempt on
 * the memory server, `transport.closed` refuses it or drops the peer, `heartbeat.pong` answers a
 * held ping, a delayed transition fires its timer on the test clock (each named delay gets a
 * distinct value, so the clock can fire exactly that one).
 */
import { initialTransition, transition } from 'xstate';
import { getAdjacencyMap, TestModel } from 'xstate/graph';
import { type ConnectionEvent, connectionMachine } from '../../machines/connection.machine.js';
import { type CoveringWalkOptions, coveringWalks } from './covering-walks.js';
import { describeEvent, linkModelCatalog, linkModelEvents, linkModelKey } from './link-model-events.js';
import { type LinkModelConfig, linkModelInput, resolved } from './link-model-options.js';
import { createLinkModelPath, type LinkModelPath } from './link-model-path.js';
import { type LinkModelGraph, type WalkPosition, walkStep } from './link-model-walk.js';

export type { CoveringWalkOptions } from './covering-walks.js';
export { LinkDriver, type ModelServer } from './link-driver.js';
export {
  type ConnectionSnapshot,
  describeEvent,
  linkModelEvents,
  linkModelKey,
} from './link-model-events.js';
export {
  type LinkModelConfig,
  linkModelInput,
  linkModelOptions,
  MODEL_DELAYS_MS,
  ModelResolveGate,
} from './link-model-options.js';
export type {
  DefaultApp,
  LinkModelEnvironment,
  LinkModelPath,
  LinkModelRunOptions,
  LinkModelStep,
} from './link-model-path.js';

/**
 * Lifecycle paths of a link generated from the connection chart (`createLinkTestModel`), each
 * runnable against your code (docs/testing.md).
 */
export interface LinkTestModel {
  readonly config: Required<LinkModelConfig>;
  /** Shortest paths to every (state, incoming transition) of the chart. */
  paths(): LinkModelPath[];
  /**
   * Fewer, longer paths through the same nodes as `paths()` (every key the model's graph has):
   * each goes on through nodes no path has taken yet, and one ends in every state (covering-walks.ts).
   * Far fewer steps to run than `paths()` for the same nodes.
   */
  coveringPaths(options?: CoveringWalkOptions): LinkModelPath[];
  /** Every node of the model's graph (`linkModelKey` of a snapshot reached, with its incoming
   * edge): what `paths()` and `coveringPaths()` each go through, all of them. */
  keys(): string[];
  /** A path of these events from the initial state (throws at one the model does not offer). */
  pathFromEvents(events: ConnectionEvent[]): LinkModelPath;
}

/** Generates lifecycle paths for a link configuration, runnable against the real runtime; `chart`:
 * the chart they walk (default `connectionMachine`; the drop-in's `connectionChart` for its model). */
export function createLinkTestModel(
  config: LinkModelConfig = {},
  chart: typeof connectionMachine = connectionMachine,
): LinkTestModel {
  const c = resolved(config);
  const input = linkModelInput(c);
  const events = linkModelEvents(c);
  const { offers } = linkModelCatalog(c);
  const model = new TestModel(chart as never, {
    events,
    serializeState: linkModelKey as never,
  });
  let graph: LinkModelGraph | null = null;
  const adjacency = (): LinkModelGraph => {
    graph ??= getAdjacencyMap(
      chart as never,
      {
        events,
        serializeState: linkModelKey,
        input,
      } as never,
    ) as unknown as LinkModelGraph;
    return graph;
  };
  return {
    config: c,
    paths() {
      return model
        .getShortestPaths({ input })
        .map((p) => createLinkModelPath(c, (p as unknown as LinkModelPath).steps));
    },
    coveringPaths(options?: CoveringWalkOptions) {
      const map = adjacency();
      const root = Object.keys(map)[0] as string;
      const edges = new Map<string, { event: ConnectionEvent; to: string }[]>();
      const walks = coveringWalks<ConnectionEvent, WalkPosition>(
        {
          root,
          start: { snapshot: (map[root] as LinkModelGraph[string]).state, spent: false },
          edges: (key) => {
            const from = map[key];
            if (!from) return [];
            let out = edges.get(key);
            if (!out) {
              out = Object.values(from.transitions).map((t) => ({
                event: t.event,
                to: linkModelKey(t.state, t.event, from.state),
              }));
              edges.set(key, out);
            }
            return out;
          },
          isEnd: (key) => (map[key]?.state.status ?? 'done') === 'done',
          group: (key) => JSON.stringify(map[key]?.state.value),
          step: (position, event) => walkStep(offers, position, event, chart),
        },
        options,
      );
      return walks.map((walk) =>
        createLinkModelPath(
          c,
          walk.positions.map((position, i) => ({
            event:
              i === 0
                ? ({ type: 'xstate.init' } as unknown as ConnectionEvent)
                : (walk.events[i - 1] as ConnectionEvent),
            state: position.snapshot,
          })),
        ),
      );
    },
    keys() {
      return Object.keys(adjacency());
    },
    // Not xstate's getPathsFromEvents: it drops the input (every step stayed `idle`, no context).
    pathFromEvents(list: ConnectionEvent[]) {
      let [state] = initialTransition(chart, input);
      const steps = [{ event: { type: 'xstate.init' } as unknown as ConnectionEvent, state }];
      for (const event of list) {
        const at = `${describeEvent(event)} at step ${steps.length} (${JSON.stringify(state.value)})`;
        if (!offers(state, event)) throw new Error(`pathFromEvents: the model does not offer ${at}`);
        [state] = transition(chart, state, event);
        steps.push({ event, state });
      }
      return createLinkModelPath(c, steps);
    },
  };
}
