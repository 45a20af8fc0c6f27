/**
 * Which names and values are secret: a header's or a field's name (isSecretHeader, isSecretKey) and
 * a value by its shape (isCredentialValue); headers shown with those hidden (redactHeaders).
 */
import { REDACTED } from './redacted.js';

/** Words in a header's name that say its value is a credential (`X-JWT-Assertion`, `DPoP` proofs,
 * `X-Passwd` as well as `Authorization`, `X-Api-Key`…). */
const SECRET_HEADER = /auth|token|key|secret|cookie|session|signature|passw|pwd|credential|jwt|bearer|dpop/i;

/** Whether a header's value must be hidden. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Words (as a regular expression's alternatives) that make a field's name secret though no header is called so: a password's short name
 * (`pass` of `{ user, pass }`), a key's passphrase or PKCS #12 bundle (`pfx`), a one-time code.
 * One list for every place a value is shown: the inspector (isSecretKey), a trace (isSecretKey)
 * and free text (./scrub-credentials.ts's name parts). Whole parts of a name only: `userPin`,
 * `key_passphrase` are secret, `passenger`, `spin`, `pinned` are not. */
export const SECRET_FIELD_WORDS = 'pass|passphrase|passcode|otp|pin|pfx';

/** One part of a name: split at `-`, `_` and camelCase humps (`XApiKey` → X, Api, Key). */
export const NAME_PARTS = /[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])/g;

/** A part in SECRET_FIELD_WORDS, a number after it or not (`PIN2`, `otp1`: one part each). A
 * literal, so a bundle without isSecretKey leaves it out (test/util/secret-names-shared pins its
 * words to SECRET_FIELD_WORDS). */
export const SECRET_FIELD_PART = /^(?:pass|passphrase|passcode|otp|pin|pfx)\d*$/i;

/** Whether a field's (an option's, a context's, a header's) value must be hidden by its name: a
 * secret header name (isSecretHeader), or one with a part in SECRET_FIELD_WORDS. */
export function isSecretKey(name: string): boolean {
  return isSecretHeader(name) || (name.match(NAME_PARTS) ?? []).some((part) => SECRET_FIELD_PART.test(part));
}

/** A value that is a credential whatever its header's name: an auth scheme's, or a JWT (a JWS,
 * its payload empty when detached; a JWE, its key empty with `dir`: `eyJ…..iv.…`). */
const CREDENTIAL_VALUE = /^\s*(?:(?:Bearer|Basic|Digest|Token|Negotiate|NTLM)\s+\S|eyJ[\w-]+\.[\w-]*\.)/i;

/** Whether a header's value must be hidden, by its name or by the value itself (`X-Upstream:
 * Bearer …`, a JWT). */
export function isSecretHeaderValue(name: string, value: string): boolean {
  return isSecretHeader(name) || CREDENTIAL_VALUE.test(value);
}

/** Whether a value is a credential by its shape alone (`Bearer …`, a JWT): hidden wherever it
 * stands (a trace's options, whose header names may say nothing). */
export function isCredentialValue(value: string): boolean {
  return CREDENTIAL_VALUE.test(value);
}

/** Headers safe to show. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretHeaderValue(name, value) ? REDACTED : value;
  }
  return out;
}
