/**
 * A probe's outcome as the watcher chart keeps it: what it threw, or why its answer is not healthy,
 * as plain redacted data, bounded (src/runtime/watcher.ts hands these to machines/watcher.machine.ts).
 */
import { PROBE_ERROR_MAX_CHARS } from '../../machines/policy/watcher.js';
import type { ProbeError } from '../../machines/watcher.machine.js';
import { describe } from '../util/describe.js';
import { scrubCredentials } from '../util/scrub-credentials.js';

/** `text` (already redacted) at most PROBE_ERROR_MAX_CHARS long: a longer one is cut at a
 * character boundary (never half a surrogate pair) and marked with its length. */
function boundedText(text: string): string {
  if (text.length <= PROBE_ERROR_MAX_CHARS) return text;
  const mark = `… (cut from ${text.length})`;
  let end = PROBE_ERROR_MAX_CHARS - mark.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${mark}`;
}

/** What the probe rejected with, as plain redacted data, bounded (redacted whole, then cut), its
 * finite numeric `status` kept (an HTTP client's error: as for an answer), else its `response`'s
 * (ky's HTTPError carries the fetch Response, not a status of its own); total: a value that
 * cannot be read (no prototype, a getter that throws) is named, never thrown on into the chart. */
export function plainError(error: unknown): ProbeError {
  const e = error as { message?: unknown; code?: unknown; status?: unknown; response?: unknown } | undefined;
  let message: string;
  try {
    message = boundedText(scrubCredentials(typeof e?.message === 'string' ? e.message : String(error)));
  } catch {
    message = `the probe failed with ${describedOrNot(error)} that cannot be read`;
  }
  const out: ProbeError = { message };
  try {
    if (typeof e?.code === 'string') out.code = boundedText(scrubCredentials(e.code));
  } catch {
    // an unreadable code is left out
  }
  try {
    const status = finite(e?.status) ?? finite((e?.response as { status?: unknown } | undefined)?.status);
    if (status !== undefined) out.status = status;
  } catch {
    // an unreadable status is left out
  }
  return out;
}

/** `describe(value)`, or `a value` for one that even describe() cannot read (a revoked proxy,
 * whose Array.isArray throws). */
function describedOrNot(value: unknown): string {
  try {
    return describe(value);
  } catch {
    return 'a value';
  }
}

/** `value` if it is a finite number. */
const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Why a probe's answer is not healthy, or null: `false`; an HTTP response (a numeric `status`:
 * a fetch Response) outside 200–399, Kubernetes httpGet's rule (its status kept in the error);
 * without a status, `ok === false`. Anything else is healthy. Total: an answer that cannot be read
 * (a getter that throws) is a failure that says so. A Response's unread body is cancelled (its
 * connection freed), whatever its status. */
export function answerFailure(answer: unknown): ProbeError | null {
  // `async () => (await fetch(url)).ok`: a probe that says no is not healthy.
  if (answer === false) return { message: 'the probe answered false' };
  if (typeof answer !== 'object' || answer === null) return null;
  try {
    const { status, ok } = answer as { status?: unknown; ok?: unknown };
    if (typeof status === 'number') {
      cancelBody(answer);
      if (status >= 200 && status <= 399) return null;
      const { statusText } = answer as { statusText?: unknown };
      const text = typeof statusText === 'string' && statusText !== '' ? ` ${statusText}` : '';
      return { message: boundedText(scrubCredentials(`the probe answered HTTP ${status}${text}`)), status };
    }
    return ok === false ? { message: 'the probe answered ok: false' } : null;
  } catch {
    return { message: 'the probe answered an object that cannot be read' };
  }
}

/** Cancels a Response's body nobody will read (a body left open holds its connection until GC).
 * Housekeeping only: a body that cannot be cancelled (a getter or cancel() that throws, a rejection)
 * decides nothing of the answer's health. */
function cancelBody(answer: object): void {
  try {
    const { body, bodyUsed } = answer as { body?: { cancel?: unknown } | null; bodyUsed?: unknown };
    if (bodyUsed === true || typeof body?.cancel !== 'function') return;
    Promise.resolve(Reflect.apply(body.cancel, body, [])).catch(() => {});
  } catch {
    // nothing to free
  }
}
