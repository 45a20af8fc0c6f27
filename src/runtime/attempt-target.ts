/**
 * Where one attempt connects: the per-attempt options (`url`, `protocols`, `headers`,
 * `wsOptions`) resolved and checked. Each may be a value or a function (sync or async) that can
 * throw, reject or return anything; whatever happens becomes the attempt's Reason, naming the
 * option — never an exception of the runtime's, never an unhandled rejection.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { TransportTarget } from '../transports/transport.js';
import { describe, shown } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { pushSecret, redactUrl, redactUrlsIn, secretsOf } from '../util/redact.js';
import { describeThrown } from '../util/thrown.js';
import type { HeaderSupport } from './attempt-headers.js';
import { LinkWire } from './link-wire.js';
import type { AttemptInfo, LinkOptions } from './options.js';
import type { WireConfig } from './wire-config.js';

/** Checks a resolved URL against the transport; the message never contains the raw URL. */
export function checkUrl(raw: string | URL, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new LinkvisorError('LV_ERR_INVALID_URL', `url: not a valid URL (${redactUrl(String(raw))})`, {
      option: 'url',
    });
  }
  if (!schemes.includes(url.protocol)) {
    throw new LinkvisorError(
      'LV_ERR_INVALID_URL',
      `url: scheme ${shown(url.protocol.slice(0, -1))} is not supported (use ${schemes.join(' or ')})`,
      { option: 'url' },
    );
  }
  return url.toString();
}

/** An attempt's target, checked, with what the link shows of its URL and the secrets in it. */
export interface CheckedTarget {
  target: TransportTarget;
  /** The URL redacted (status().url, errors). */
  shownUrl: string;
  /** Every form of every secret of the URL, headers and subprotocols (see secretsOf). */
  secrets: readonly string[];
}

/**
 * The checked target of links whose URL, protocols, headers and wsOptions are all values: the
 * same on every attempt of every link of the template (one config), so the URL is parsed, checked,
 * redacted and searched for secrets once, not per attempt (a reconnect of 10,000 links did it
 * 30,000 times). Each attempt still gets a target of its own (a transport may change it).
 */
const staticTargets = new WeakMap<WireConfig, CheckedTarget>();

/**
 * The attempt's target. Synchronous when nothing is a function, so in-process links open within
 * the same step; the attempt's `signal` is asked for only when a function needs it (it makes an
 * abort controller), and `lastReason` is why the previous attempt ended.
 */
export function resolveTarget(
  config: WireConfig,
  attempt: { readonly attempt: number; readonly signal: AbortSignal },
  lastReason: Reason | null,
): CheckedTarget | Promise<CheckedTarget> {
  const { url, protocols, headers, wsOptions } = config;
  if (
    typeof url === 'function' ||
    typeof protocols === 'function' ||
    typeof headers === 'function' ||
    typeof wsOptions === 'function'
  ) {
    const info: AttemptInfo = { attempt: attempt.attempt, lastReason, signal: attempt.signal };
    return Promise.all(
      [url, protocols, headers, wsOptions].map((p, i) =>
        LinkWire.resolve(p as never, info).catch((error: unknown) => {
          throw new ResolveError(PART_NAMES[i] as string, error);
        }),
      ),
    ).then((parts) => checkTarget(config, parts));
  }
  // The static path (every attempt of every link of the template): no array or closure per attempt.
  let checked = staticTargets.get(config);
  if (!checked) {
    try {
      checked = checkTarget(config, [url, protocols, headers, wsOptions]);
    } catch (error) {
      return Promise.reject(error);
    }
    staticTargets.set(config, checked);
  }
  const { target } = checked;
  return {
    target: {
      url: target.url,
      protocols: [...target.protocols],
      headers: { ...target.headers },
      options: { ...target.options },
    },
    shownUrl: checked.shownUrl,
    secrets: checked.secrets,
  };
}

/** The resolved parts (url, protocols, headers, wsOptions) checked: the target, what the link
 * shows of its URL, and their secrets. Throws a LinkvisorError naming the option. */
function checkTarget(config: WireConfig, [u, p, h, o]: unknown[]): CheckedTarget {
  const url = checkUrl(u as string | URL, config.transport.schemes);
  const protocols = checkProtocols(p);
  // Headers and wsOptions only where links can have them (./attempt-headers.ts, a link feature).
  const support = config.headerSupport;
  const { headers, options } = support ? support.check(h, o) : { headers: {}, options: {} };
  // No fragment reaches a transport (a browser's WebSocket and `ws` throw for one: it is never
  // sent); shown, redacted. The URL is as `new URL()` wrote it: its first `#` starts the fragment.
  const target: TransportTarget = { url: url.split('#')[0] as string, protocols, headers, options };
  const secrets = secretsOf(url);
  // Subprotocols carry credentials (`['token', apiKey]`) in every link, the drop-in's too.
  for (const protocol of protocols) pushSecret(secrets, protocol);
  return {
    target,
    shownUrl: redactUrl(url),
    secrets: support ? secrets.concat(support.secrets(headers, protocols, options)) : secrets,
  };
}

/**
 * Checks the per-attempt options given as values (not functions) once, when the link is made: a bad
 * one would fail every attempt, for ever. Throws a LinkvisorError naming the option. `support`
 * checks headers and wsOptions where links can have them.
 */
export function checkStaticParts(
  { protocols, headers, wsOptions }: LinkOptions,
  support?: HeaderSupport,
): void {
  const value = (part: unknown) => (typeof part === 'function' ? undefined : part);
  checkProtocols(value(protocols));
  support?.check(value(headers), value(wsOptions));
}

/** The Reason of an attempt whose target could not be resolved. */
export function targetFailure(error: unknown, redact: (text: string) => string): Reason {
  if (error instanceof LinkvisorError && error.code === 'LV_ERR_INVALID_URL') {
    return { kind: 'error', errorCode: 'LV_ERR_INVALID_URL', message: redact(error.message) };
  }
  // A function that threw or rejected (with anything), or returned a value of the wrong shape.
  // Its text is the application's (a token endpoint's error): the URLs in it lose their query
  // values and user info, as a URL the link was given does (it never got one this attempt).
  const detail =
    error instanceof ResolveError
      ? `${error.option}() threw or rejected: ${redactUrlsIn(describeThrown(error.cause))}`
      : describeThrown(error);
  return {
    kind: 'error',
    errorCode: 'LV_ERR_RESOLVE',
    message: `resolving the connection details failed: ${redact(detail)}`,
  };
}

/** The per-attempt options, in the order resolveTarget() resolves them. */
const PART_NAMES = ['url', 'protocols', 'headers', 'wsOptions'] as const;

/** A per-attempt function that threw or rejected, with the option it is. */
class ResolveError extends Error {
  constructor(
    readonly option: string,
    override readonly cause: unknown,
  ) {
    super(`${option}() threw or rejected`);
  }
}

/** RFC 7230 token: header names and subprotocols. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Subprotocols of one attempt. */
function checkProtocols(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && TOKEN.test(p))) {
    throw optionError(
      'protocols',
      `must be a token or an array of tokens (RFC 6455), got ${describe(value)}`,
    );
  }
  if (new Set(list).size !== list.length) throw optionError('protocols', 'must not repeat a subprotocol');
  return [...list];
}
