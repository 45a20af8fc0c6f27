/**
 * linkvisor/inspector's `combineInspectors(a, b, …)`: the runtime's (../runtime/combine-inspectors.ts,
 * which the supervisor uses unchecked, with observers it checked itself), each given observer
 * checked at the call: a function, or an object whose `next`, if any, is one; `undefined`, `null`
 * and `false` skipped ("none", as `debug && observer` writes it). Anything else (a number, `{ next: 5 }`) is LV_ERR_INVALID_OPTION naming `observers[i]`
 * (or `observers[i].next`): it used to be taken, and every event handed to it failed silently
 * (the combined observer keeps one observer's failure from the others).
 */
import type { InspectionEvent, Observer } from 'xstate';
import { combineInspectors as combine, type InspectObserver } from '../runtime/combine-inspectors.js';
import { checkObserver } from '../runtime/supervisor-options.js';

/**
 * One XState inspection observer that hands every event to each given observer (`undefined`,
 * `null` and `false` skipped); an observer that throws does not keep the event from the others. An observer that is
 * none: LV_ERR_INVALID_OPTION naming `observers[i]`.
 */
export function combineInspectors(
  ...observers: (InspectObserver | undefined | null | false)[]
): Observer<InspectionEvent> {
  const given: InspectObserver[] = [];
  for (const [i, observer] of observers.entries()) {
    if (observer === undefined || observer === null || observer === false) continue;
    checkObserver(observer, `observers[${i}]`);
    given.push(observer);
  }
  return combine(...given);
}
