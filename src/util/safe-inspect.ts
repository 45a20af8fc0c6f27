/**
 * The user's XState inspection observer, made harmless: XState calls it inside every actor's
 * step, so an observer that throws would fail the actor it watches. Its errors are reported
 * (LV_ERR_LISTENER, option `inspect`) and the actors go on.
 */
import type { InspectionEvent, Observer } from 'xstate';
import { LinkvisorError } from './errors.js';

export type InspectOption = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export function safeInspect(
  inspect: InspectOption | undefined,
  report: (error: LinkvisorError) => void,
): ((event: InspectionEvent) => void) | undefined {
  if (inspect === undefined) return undefined;
  const observe = typeof inspect === 'function' ? inspect : (event: InspectionEvent) => inspect.next?.(event);
  return (event) => {
    try {
      observe(event);
    } catch (error) {
      report(
        new LinkvisorError('LV_ERR_LISTENER', 'the inspect observer threw', {
          option: 'inspect',
          cause: error,
        }),
      );
    }
  };
}
