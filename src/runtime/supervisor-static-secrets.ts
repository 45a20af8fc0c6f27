/**
 * The secrets a link was given as values (its static `url`, `protocols`, `headers` and
 * `wsOptions`), for the supervisor's error scrub (./supervisor-secrets.ts) of a link that has made
 * no attempt yet (booked and waiting for its turn in connect()'s slices, or in backoff before its
 * first attempt): an attempt notes them in the link's SecretSet; before it, they are read here,
 * when an error's scrub gathers its links' secrets, never on connect(). A part that is a function
 * has produced no secret until an attempt calls it.
 */
import { pushSecret, secretsOf } from '../util/redact.js';
import type { LinkBooking } from './link-parts.js';
import type { LinkWire } from './link-wire.js';
import type { WireConfig } from './wire-config.js';

const NONE: readonly string[] = Object.freeze([]);

/** Computed once per config (the links of one template share it), forgotten with it. */
const known = new WeakMap<WireConfig, readonly string[]>();

/** A link's wire, or its booking (the wire not made yet: reading `link.wire` would make it). */
export type WireOrBooking = LinkWire | LinkBooking;

/** The config of a made wire or of a booking. */
export function configOf(source: WireOrBooking): WireConfig {
  return 'template' in source ? source.template.wire : source.config;
}

/** Every form of every secret in the config's static parts (the same list for the same config). */
export function staticSecrets(config: WireConfig): readonly string[] {
  let secrets = known.get(config);
  if (!secrets) {
    secrets = read(config);
    known.set(config, secrets);
  }
  return secrets;
}

const value = (part: unknown) => (typeof part === 'function' ? undefined : part);

function read({ url, protocols, headers, wsOptions, headerSupport }: WireConfig): readonly string[] {
  const secrets = typeof url === 'function' ? [] : secretsOf(String(url));
  const given = value(protocols);
  const offered = (typeof given === 'string' ? [given] : Array.isArray(given) ? given : []).filter(
    (protocol): protocol is string => typeof protocol === 'string',
  );
  for (const protocol of offered) pushSecret(secrets, protocol);
  if (headerSupport) {
    try {
      // Checked when the link was made (checkStaticParts): this only normalises them.
      const checked = headerSupport.check(value(headers), value(wsOptions));
      secrets.push(...headerSupport.secrets(checked.headers, offered, checked.options));
    } catch {
      // Refused when the link was made: never sent, nothing to scrub.
    }
  }
  return secrets.length === 0 ? NONE : secrets;
}
