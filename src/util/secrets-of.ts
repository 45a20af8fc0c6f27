/**
 * The secret strings of a URL (secretsOf), in every form, for exact scrubbing.
 */

import { KEYED_PART, PATH_JWT, PATH_PARAMETER, PATH_TOKEN, queryParts } from './redact-url.js';
import { credentialForms, pushSecret, scrubbable } from './secret-forms.js';

/**
 * The secret strings in a URL, in every form they may come back in, to be scrubbed from any free
 * text (error messages, close reasons). Linear in the size of the URL. The secrets of headers are
 * ./header-secrets.ts's (only links that can have headers carry it).
 */
export function secretsOf(url: string | undefined): string[] {
  const secrets: string[] = [];
  const push = (secret: string) => pushSecret(secrets, secret);
  if (url) {
    try {
      const parsed = new URL(url);
      for (const value of parsed.searchParams.values()) push(value);
      // Each value as written too (servers echo request.url): `a+b/c==` is `a b/c==` decoded, and
      // a part redactUrl shows as a bare value (`?k7Qx…`, `?k7Qx…==`, `?Zm9v+…=x`: KEYED_PART) is
      // one whole, not what follows its first `=` (`=`, `x`: the token was in no form scrubbed).
      for (const part of queryParts(parsed.search)) push(part.replace(KEYED_PART, ''));
      for (const [, , value] of parsed.pathname.matchAll(PATH_PARAMETER)) push(value as string);
      for (const [jwt] of parsed.pathname.matchAll(PATH_JWT)) push(jwt);
      for (const [, , token] of parsed.pathname.matchAll(PATH_TOKEN)) push(token as string);
      if (parsed.password) push(parsed.password);
      if (parsed.username) push(parsed.username);
      if (parsed.search) secrets.push(parsed.search);
      // The `Authorization: Basic …` header a client builds from the user info.
      if (parsed.username || parsed.password)
        secrets.push(...credentialForms(parsed.username, parsed.password));
    } catch {
      // An unparsable URL is a secret as a whole.
      push(url);
    }
  }
  return scrubbable(secrets);
}
