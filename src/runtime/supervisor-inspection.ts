/**
 * A supervisor's inspection hooks: observers added with `observe()` for a while (a session
 * recorder, a metrics bridge) beside the `inspect` option for the whole life. An observer is
 * subscribed to every XState system the supervisor runs now (the socket's, each shard's: the
 * links of a shard share its system) and given to the systems made later (a new shard's).
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { combineInspectors, type InspectObserver } from './combine-inspectors.js';
import { checkObserver } from './supervisor-options.js';

/** An observer added with `observe()`; null once unsubscribed, so that a system made meanwhile,
 * which keeps the slot for its life, neither calls nor retains it. */
export interface ObserverSlot {
  observer: Observer<InspectionEvent> | null;
}

/** The inspection observer a new system of links gets: `inspect` (the option), plus the observer
 * of every slot in `slots` (added with observe()) while it stays subscribed. */
export function linkInspector(
  inspect: InspectObserver | undefined,
  slots: ReadonlySet<ObserverSlot>,
): InspectObserver | undefined {
  if (slots.size === 0) return inspect;
  return combineInspectors(
    inspect,
    ...[...slots].map((slot) => (event: InspectionEvent) => slot.observer?.next?.(event)),
  );
}

/** Subscribes `observer` (checked: LV_ERR_INVALID_OPTION naming `observer` unless a function or an
 * object whose `next`, if any, is one; a function is taken as `{ next }`) to each of `systems` and adds its slot to `slots` (so that the systems
 * made later get it), until `unsubscribe()` undoes both and empties the slot. */
export function observeSystems(
  systems: Iterable<AnyActorRef['system']>,
  given: InspectObserver,
  slots: Set<ObserverSlot>,
): { unsubscribe(): void } {
  const observer = checkObserver(given, 'observer');
  const subscriptions = [...systems].map((system) => system.inspect(observer));
  const slot: ObserverSlot = { observer };
  slots.add(slot);
  return {
    unsubscribe: () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      slot.observer = null;
      slots.delete(slot);
    },
  };
}
