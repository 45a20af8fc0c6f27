/**
 * Reading what application code threw or returned, without trusting it: a thrown value may be
 * anything (a symbol, an object whose getters or toString() throw), a returned one a promise.
 */

/** The text of anything thrown; never throws itself. */
export function describeThrown(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null | undefined)?.message;
    return typeof message === 'string' ? message : String(error);
  } catch {
    return `${typeof error} that cannot be shown`;
  }
}

/** Whether a thrown value says `fatal: true` (a handshake error that retrying cannot fix). */
export function isFatal(error: unknown): boolean {
  try {
    return (error as { fatal?: unknown } | null | undefined)?.fatal === true;
  } catch {
    return false;
  }
}

/** A promise or any thenable (what an async callback returns). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
