/**
 * One step of a covering walk over the link test model's graph (link-model.ts, covering-walks.ts):
 * the chart's own transition from where the walk is, unless the model does not offer the event
 * there or it is the targetless timer that has already fired in this state.
 */
import { transition } from 'xstate';
import { type ConnectionEvent, connectionMachine } from '../../machines/connection.machine.js';
import { type ConnectionSnapshot, linkModelKey } from './link-model-events.js';

/** The one targetless delayed transition of the chart (ready.unmonitored's stableAfter): once it
 * has fired, its timer runs again only when the state is entered again. */
const SPENT_ONCE = 'xstate.after.stableAfter.connection.attempt.ready.unmonitored';

/** Where a covering walk is: the chart's snapshot, and whether the targetless timer of the state
 * it is in has fired (the snapshot does not hold it; shortest paths never fire it twice). */
export interface WalkPosition {
  snapshot: ConnectionSnapshot;
  spent: boolean;
}

/** Takes `event` for real from `position`: offered there by the model, and not a spent timer;
 * `chart` is the chart walked (the drop-in's `connectionChart` passes as this type: its states are
 * a subset). */
export function walkStep(
  offers: (snapshot: ConnectionSnapshot, event: ConnectionEvent) => boolean,
  position: WalkPosition,
  event: ConnectionEvent,
  chart: typeof connectionMachine = connectionMachine,
): { key: string; position: WalkPosition } | null {
  const timer = (event.type as string) === SPENT_ONCE;
  if ((timer && position.spent) || !offers(position.snapshot, event)) return null;
  const [snapshot] = transition(chart, position.snapshot, event);
  const stays = snapshot.matches({ attempt: { ready: 'unmonitored' } });
  return {
    key: linkModelKey(snapshot, event, position.snapshot),
    position: { snapshot, spent: stays && (timer || position.spent) },
  };
}

/** The model's graph as xstate/graph builds it: each node's snapshot and where each event leads. */
export type LinkModelGraph = Record<
  string,
  {
    state: ConnectionSnapshot;
    transitions: Record<string, { event: ConnectionEvent; state: ConnectionSnapshot }>;
  }
>;
