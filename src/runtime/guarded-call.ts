/**
 * How the transport runs code it does not own: an application callback that must answer
 * synchronously (heartbeat.ping, heartbeat.isPong) and a method of the transport's connection (a
 * custom transport may throw). Whatever either does — throw, return a promise — is reported as the
 * link's `error` and answered with THREW; the attempt goes on and is never broken by it.
 */

import { LinkvisorError } from '../util/errors.js';
import { describeThrown, isThenable } from '../util/thrown.js';
import type { LinkWire } from './link-wire.js';

/** What a callback that threw returns in its place (no value of the application's can be it). */
export const THREW: unique symbol = Symbol('threw');

/**
 * Runs an application callback that must answer synchronously. If it throws, or returns a
 * promise (an async callback: never awaited, its rejection handled here so it cannot become an
 * unhandled one), reports an `error` event and returns THREW: the link goes on (a missing ping
 * is a missed pong, a failing matcher means "not a pong").
 */
export function userCall<T>(wire: LinkWire, option: string, fn: () => T): T | typeof THREW {
  try {
    const value = fn();
    if (!isThenable(value)) return value;
    Promise.resolve(value).catch(() => {});
  } catch (error) {
    wire.reportError(new LinkvisorError('LV_ERR_LISTENER', `${option}() threw`, { option, cause: error }));
    return THREW;
  }
  wire.reportError(
    new LinkvisorError(
      'LV_ERR_INVALID_OPTION',
      `${option}() returned a promise; it must answer synchronously`,
      {
        option,
      },
    ),
  );
  return THREW;
}

/** Runs a method of the transport's connection; if it throws (a custom transport's bug), reports
 * LV_ERR_TRANSPORT and returns THREW: the attempt is never broken by it. */
export function transportCall<T>(wire: LinkWire, what: string, fn: () => T): T | typeof THREW {
  try {
    return fn();
  } catch (error) {
    wire.reportError(
      new LinkvisorError(
        'LV_ERR_TRANSPORT',
        `the transport's ${what} threw: ${wire.redactUser(describeThrown(error))}`,
        { cause: error },
      ),
    );
    return THREW;
  }
}
