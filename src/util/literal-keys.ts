/**
 * The unknown-key check of a method's options (`link.close({ cod })`, `link.ready({ sigal })`)
 * for a literal only: a plain object (or one of no prototype) is where a key is misspelt; an
 * object of a class (a close event re-used as `close(event)`: `wasClean`, `detail`, `isTrusted`;
 * a framework's init object) carries its other keys by design and is read for the known ones
 * alone, as `fetch` reads its init (test/util/event-names-review.test.ts).
 */
import { checkKnownKeys } from './option-checks.js';

/** LV_ERR_UNKNOWN_OPTION naming the first key of `options` not in `known`, if it is a literal. */
export function checkLiteralKeys(options: Record<string, unknown>, known: ReadonlySet<string>): void {
  if ((Object.getPrototypeOf(options) ?? Object.prototype) === Object.prototype)
    checkKnownKeys(options, known, '');
}
