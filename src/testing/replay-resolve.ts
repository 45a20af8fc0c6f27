/**
 * A recorded link's per-attempt function (`perAttempt`: a `url`, `protocols`, `headers` or
 * `wsOptions` function) replayed (./replay-session.ts): the replay's URL function holds each
 * attempt's resolve until the trace says how it ended. The trace holds no URL, header or token,
 * only the outcome: the attempt's `transport.opening` (resolved), or a `transport.closed` with
 * `LV_ERR_RESOLVE` (a function threw, rejected or returned a bad value) or `LV_ERR_INVALID_URL`
 * (the URL it gave is not one), before any `transport.opening` of that attempt. Held, a resolve
 * still under way when the recorded `resolveTimeout` fires, the link closes or an attempt
 * supersedes it ends as it ended then.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { TraceEventRecord } from '../trace/trace-format.js';

/** One attempt's resolve, held: settled with the URL, or failed as recorded. */
export interface HeldResolve {
  resolve(url: string): void;
  reject(error: Error): void;
  /** The replay's URL of the link (its memory server). */
  url: string;
}

/** The error codes of an attempt that failed in resolving (src/runtime/attempt-target.ts). */
const RESOLVE_CODES: ReadonlySet<unknown> = new Set(['LV_ERR_RESOLVE', 'LV_ERR_INVALID_URL']);

/** Whether a recorded reason is an attempt failing in resolving its per-attempt options. */
export function resolveFailed(reason: Partial<Reason>): boolean {
  return reason.kind === 'error' && RESOLVE_CODES.has(reason.errorCode);
}

/** What the failed resolve said after the runtime's own words (`url() threw or rejected: `). */
const OWN_WORDS = /^resolving the connection details failed: (?:[a-zA-Z]+\(\) threw or rejected: )?/;

/** Not a URL (`new URL()` throws): the runtime fails the attempt with LV_ERR_INVALID_URL. */
const NOT_A_URL = 'replay: the recorded URL was not a valid URL';

/**
 * The per-attempt URL function of a replayed link: each call holds its resolve in `link.resolving`
 * (the newest attempt's; an older one has ended) until the recorded outcome settles it.
 */
export function heldUrl(link: { resolving: HeldResolve | null }, url: string) {
  return (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      link.resolving = { resolve, reject, url };
    });
}

/**
 * Settles the held resolve of `link` with a recorded outcome: `reason` null (its
 * `transport.opening`) resolves the URL; a resolve failure fails it with the recorded code. Null
 * when settled, otherwise why it cannot be replayed, naming the step's link and why.
 */
export function settleResolve(
  link: { resolving: HeldResolve | null },
  record: TraceEventRecord,
  reason: Partial<Reason> | null,
): string | null {
  const held = link.resolving;
  const code = reason ? String(reason.errorCode ?? reason.kind) : '';
  if (!held) {
    return reason
      ? `${record.event.type} (${code}) cannot be replayed: no per-attempt function of ${record.actor} is resolving (the trace has no attempt of it under way without its transport.opening)`
      : `transport.opening cannot be replayed: no per-attempt function of ${record.actor} is resolving (the link has none, or its attempt already opened)`;
  }
  if (reason && !resolveFailed(reason)) {
    return `transport.closed (${code}) cannot be replayed: ${record.actor}'s attempt is still resolving its per-attempt options; only LV_ERR_RESOLVE or LV_ERR_INVALID_URL ends it there`;
  }
  link.resolving = null;
  if (!reason) held.resolve(held.url);
  else if (reason.errorCode === 'LV_ERR_INVALID_URL') held.resolve(NOT_A_URL);
  else held.reject(new Error(String(reason.message ?? '').replace(OWN_WORDS, '')));
  return null;
}
