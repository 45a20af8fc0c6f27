/**
 * `combineInspectors(a, b, …)`: one XState inspection observer that forwards to several, for
 * `createSupervisor({ inspect })` when both our inspector and Stately's tools should watch. An
 * observer that throws does not stop the others (nor the inspected actor).
 */
import type { InspectionEvent, Observer } from 'xstate';

/** An XState inspection observer: an object with `next`, or a function. */
export type InspectObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/**
 * One XState inspection observer that hands every event to each given observer (`undefined` ones
 * skipped); an observer that throws does not keep the event from the others.
 */
export function combineInspectors(...observers: (InspectObserver | undefined)[]): Observer<InspectionEvent> {
  const list = observers.filter((o): o is InspectObserver => o !== undefined);
  return {
    next(event) {
      for (const observer of list) {
        try {
          if (typeof observer === 'function') observer(event);
          else observer.next?.(event);
        } catch {
          // one observer's failure is not the others' business
        }
      }
    },
  };
}
