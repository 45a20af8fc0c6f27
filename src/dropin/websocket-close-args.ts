/**
 * The drop-in's `close(code, reason)` and `reconnect(code, reason)` arguments, converted and checked
 * as a WebSocket's `close()` converts and checks them (WHATWG, WebIDL): the code as a `[Clamp]
 * unsigned short` (3000.6 is 3001, NaN is 0), then 1000 or 3000–4999 or a `DOMException` named
 * `InvalidAccessError`; the reason at most 123 bytes of UTF-8 or a `DOMException` named
 * `SyntaxError`. Links' own `close()` keeps LV_ERR_INVALID_OPTION (../util/close-args.ts).
 */
import { shownChoice } from '../util/option-checks.js';

/** `[code, reason]` as a WebSocket's close() takes them (the callers default a code not given to
 * 1000 and a reason to '', as theirs do). */
export function webSocketCloseArgs(code: number, reason: string): [number, string] {
  const clamped = clampUnsignedShort(code);
  if (clamped !== 1000 && (clamped < 3000 || clamped > 4999)) {
    throw new DOMException(`invalid close code ${shownChoice(code, [])}`, 'InvalidAccessError');
  }
  const text = String(reason);
  if (new TextEncoder().encode(text).length > 123) {
    throw new DOMException('close reason over 123 bytes', 'SyntaxError');
  }
  return [clamped, text];
}

/** WebIDL's `[Clamp] unsigned short`: NaN is 0, clamped to 0–65535, rounded half to even. */
function clampUnsignedShort(value: unknown): number {
  const x = Number(value);
  if (Number.isNaN(x)) return 0;
  const clamped = Math.min(Math.max(x, 0), 65535);
  const floor = Math.floor(clamped);
  const fraction = clamped - floor;
  return fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}
