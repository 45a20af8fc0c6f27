/**
 * A supervisor's inspection hooks: observers added with `observe()` for a while (a session
 * recorder, a metrics bridge) beside the `inspect` option for the whole life. An observer is
 * subscribed to every XState system the supervisor runs now (the socket's, each shard's: the
 * links of a shard share its system) and given to the systems made later (a new shard's).
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { combineInspectors, type InspectObserver } from './combine-inspectors.js';

/** The inspection observer a new system of links gets: `inspect` (the option), plus every
 * observer in `observers` (added with observe()). */
export function linkInspector(
  inspect: InspectObserver | undefined,
  observers: ReadonlySet<Observer<InspectionEvent>>,
): InspectObserver | undefined {
  if (observers.size === 0) return inspect;
  return combineInspectors(inspect, ...observers);
}

/** Subscribes `observer` to each of `systems` and adds it to `observers` (so that the systems made
 * later get it), until `unsubscribe()` undoes both. */
export function observeSystems(
  systems: Iterable<AnyActorRef['system']>,
  observer: Observer<InspectionEvent>,
  observers: Set<Observer<InspectionEvent>>,
): { unsubscribe(): void } {
  const subscriptions = [...systems].map((system) => system.inspect(observer));
  observers.add(observer);
  return {
    unsubscribe: () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      observers.delete(observer);
    },
  };
}
