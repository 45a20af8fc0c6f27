/**
 * The secrets of an attempt's headers (auth-like headers, their credential, a Basic credential's
 * parts), in every form they may come back in. Apart from ./secrets-of.ts so that a bundle whose links
 * can have no headers (the drop-in class) leaves it out: links get it with the header support of
 * src/runtime/attempt-headers.ts, a link feature.
 */
import { credentialForms, pushSecret, scrubbable } from './secret-forms.js';
import { isSecretHeaderValue } from './secret-names.js';

/** The text of base64 or base64url (padded or not), or null. */
function base64Text(encoded: string): string | null {
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The `user:password` inside a `Basic` credential, or null. */
function basicCredential(credential: string): string | null {
  const text = base64Text(credential);
  return text?.includes(':') ? text : null;
}

/** Kubernetes' bearer subprotocol: the token travels base64url-encoded after this prefix. */
const K8S_BEARER = 'base64url.bearer.authorization.k8s.io.';

/** The secret strings in `headers`, the token a Kubernetes bearer subprotocol carries, decoded,
 * and ws's `auth` option (`user:password`), in every form (./secrets-of.ts has the URL's; src/runtime/attempt-target.ts adds every
 * subprotocol as offered, for every link). */
export function headerSecrets(
  headers: Record<string, string>,
  protocols: readonly string[] = [],
  auth?: string,
): string[] {
  const secrets: string[] = [];
  const push = (secret: string) => pushSecret(secrets, secret);
  // ws's `auth: 'user:password'` option, sent as `Authorization: Basic …`.
  if (auth !== undefined) {
    const colon = auth.indexOf(':');
    push(auth);
    if (colon >= 0) {
      push(auth.slice(colon + 1));
      secrets.push(...credentialForms(auth.slice(0, colon), auth.slice(colon + 1)));
    }
  }
  for (const protocol of protocols)
    if (protocol.startsWith(K8S_BEARER)) push(base64Text(protocol.slice(K8S_BEARER.length)) ?? '');
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeaderValue(name, value)) continue;
    push(value);
    // A cookie header's every pair is a secret of its own (a server quotes one session id).
    if (/cookie/i.test(name))
      for (const pair of value.split(';')) push(pair.slice(pair.indexOf('=') + 1).trim());
    // "Bearer <token>", "Basic <credentials>": servers echo the credential alone.
    const credential = /^\s*[A-Za-z][\w-]*\s+(\S.*?)\s*$/.exec(value)?.[1];
    if (!credential) continue;
    push(credential);
    const pair = basicCredential(credential);
    if (pair) {
      const colon = pair.indexOf(':');
      push(pair);
      push(pair.slice(colon + 1));
      secrets.push(...credentialForms(pair.slice(0, colon), pair.slice(colon + 1)));
    }
  }
  return scrubbable(secrets);
}
