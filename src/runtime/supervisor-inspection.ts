/**
 * A supervisor's inspection hooks: observers added with `observe()` for a while (a session
 * recorder, a metrics bridge) beside the `inspect` option for the whole life. An observer is
 * subscribed to every XState system the supervisor runs now (the socket's, each shard's: the
 * links of a shard share its system) and given to the systems made later (a new shard's).
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { LinkvisorError } from '../util/errors.js';
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
 * made later get it), until `unsubscribe()` undoes both and empties the slot. XState calls it inside
 * every actor's step: what it throws goes to `report` (LV_ERR_LISTENER, option `observer`), never
 * into the step, as the `inspect` option's (../util/safe-inspect.ts); a throw lost the step (a link
 * never started, or stayed `ready` on a dead socket: test/runtime/observe-throws.test.ts). */
export function observeSystems(
  systems: Iterable<AnyActorRef['system']>,
  given: InspectObserver,
  slots: Set<ObserverSlot>,
  report: (error: LinkvisorError) => void,
): { unsubscribe(): void } {
  const checked = checkObserver(given, 'observer');
  const observer: Observer<InspectionEvent> = {
    next(event) {
      try {
        checked.next?.(event);
      } catch (error) {
        report(
          new LinkvisorError('LV_ERR_LISTENER', 'the observe() observer threw', {
            option: 'observer',
            cause: error,
          }),
        );
      }
    },
  };
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
