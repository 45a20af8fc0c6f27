/**
 * A recorded link's per-attempt function (`perAttempt`: a `url`, `protocols`, `headers` or
 * `wsOptions` function) replayed (./replay-session.ts): the replay's four per-attempt functions
 * hold each attempt's resolve until the trace says how it ended. The trace holds no URL, header or token,
 * only the outcome: the attempt's `transport.opening` (resolved), or a `transport.closed` with
 * `LV_ERR_RESOLVE` (a function threw, rejected or returned a bad value) or `LV_ERR_INVALID_URL`
 * (the URL it gave is not one), before any `transport.opening` of that attempt. Held, a resolve
 * still under way when the recorded `resolveTimeout` fires, the link closes or an attempt
 * supersedes it ends as it ended then.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { LinkOptions } from '../runtime/options.js';
import type { TraceEventRecord } from '../trace/trace-format.js';

/** A per-attempt option the runtime resolves (src/runtime/attempt-target.ts, in this order). */
type Part = 'url' | 'protocols' | 'headers' | 'wsOptions';
const PARTS: readonly Part[] = ['url', 'protocols', 'headers', 'wsOptions'];

/** One attempt's resolve, held: each per-attempt function's promise, settled with the URL (the
 * others with nothing), or one of them failed as recorded. */
export interface HeldResolve {
  parts: Map<Part, { resolve(value: unknown): void; reject(error: Error): void }>;
  /** The replay's URL of the link (its memory server). */
  url: string;
}

/** The error codes of an attempt that failed in resolving (src/runtime/attempt-target.ts). */
const RESOLVE_CODES: ReadonlySet<unknown> = new Set(['LV_ERR_RESOLVE', 'LV_ERR_INVALID_URL']);

/** Whether a recorded reason is an attempt failing in resolving its per-attempt options. */
export function resolveFailed(reason: Partial<Reason>): boolean {
  return reason.kind === 'error' && RESOLVE_CODES.has(reason.errorCode);
}

/** A recorded failure of a function that threw or rejected: which one, and what it said. */
const THREW =
  /^resolving the connection details failed: (url|protocols|headers|wsOptions)\(\) threw or rejected: /;

/** The runtime's own words before a bad value's message (`protocols: must be a token…`). */
const FAILED = /^resolving the connection details failed: /;

/** A URL that was none, as the runtime shows it (`url: not a valid URL (not a url)`). */
const INVALID = /^url: not a valid URL \((.*)\)$/s;

/** Not a URL (`new URL()` throws): the runtime fails the attempt with LV_ERR_INVALID_URL. */
const NOT_A_URL = 'replay: the recorded URL was not a valid URL';

/** What the replay's URL function gives for a recorded LV_ERR_INVALID_URL: the text the recording
 * showed (redacted, as the runtime shows it again) when it is no URL either, else one of its own. */
function notAUrl(message: string): string {
  const shown = INVALID.exec(message)?.[1];
  if (shown === undefined) return NOT_A_URL;
  try {
    new URL(shown);
    return NOT_A_URL;
  } catch {
    return shown;
  }
}

/**
 * The per-attempt functions of a replayed link (`url`, `protocols`, `headers`, `wsOptions`): each
 * attempt calls them in that order, and each call holds its promise in `link.resolving` (the newest
 * attempt's; an older one has ended) until the recorded outcome settles them, so a failure is the
 * recorded function's (`headers() threw or rejected: …`), never the replay's `url()`.
 */
export function heldParts(
  link: { resolving: HeldResolve | null },
  url: string,
): { url: () => Promise<string> } & Pick<LinkOptions, 'protocols' | 'headers' | 'wsOptions'> {
  const held =
    <T>(part: Part) =>
    (): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        // The URL is resolved first: a new attempt.
        if (part === 'url' || !link.resolving) link.resolving = { parts: new Map(), url };
        link.resolving.parts.set(part, { resolve: resolve as (value: unknown) => void, reject });
      });
  return {
    url: held<string>('url'),
    // Settled with nothing (no subprotocol, header or option), as the runtime takes undefined.
    protocols: held<never>('protocols'),
    headers: held<never>('headers'),
    wsOptions: held<never>('wsOptions'),
  };
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
  const message = String(reason?.message ?? '');
  let url = held.url;
  // The function that threw or rejected, as recorded; a bad value (no function threw) is the URL's.
  let failing: Part | null = null;
  let error: Error | null = null;
  if (reason?.errorCode === 'LV_ERR_INVALID_URL') url = notAUrl(message);
  else if (reason) {
    const threw = THREW.exec(message);
    failing = (threw?.[1] as Part | undefined) ?? 'url';
    error = new Error(message.replace(threw ? THREW : FAILED, ''));
  }
  for (const part of PARTS) {
    const settle = held.parts.get(part);
    if (part === failing && error) settle?.reject(error);
    else settle?.resolve(part === 'url' ? url : undefined);
  }
  return null;
}
