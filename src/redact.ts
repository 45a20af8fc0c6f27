/**
 * Secrets never leave the link: tokens in URLs (query values, user info) and in auth-like headers
 * are replaced before any text reaches an error, an event, status() or the inspector.
 */

export const REDACTED = '[redacted]';

const SECRET_HEADER = /auth|token|key|secret|cookie|session|signature|password|credential/i;

/** A URL safe to show: user info and every query value replaced. Unparsable input is hidden. */
export function redactUrl(raw: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    return REDACTED;
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  const keys = [...url.searchParams.keys()];
  if (keys.length > 0) {
    url.search = keys.map((key) => `${encodeURIComponent(key)}=${REDACTED}`).join('&');
  }
  if (url.hash) url.hash = '';
  return url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** Whether a header's value must be hidden. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Headers safe to show. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretHeader(name) ? REDACTED : value;
  }
  return out;
}

/** The secret strings in a URL and headers, to be scrubbed from any free text (error messages). */
export function secretsOf(url: string | undefined, headers?: Record<string, string>): string[] {
  const secrets: string[] = [];
  if (url) {
    try {
      const parsed = new URL(url);
      for (const value of parsed.searchParams.values()) if (value.length >= 3) secrets.push(value);
      if (parsed.password) secrets.push(parsed.password);
      if (parsed.username) secrets.push(parsed.username);
      if (parsed.search) secrets.push(parsed.search);
    } catch {
      // An unparsable URL is a secret as a whole.
      if (url.length >= 3) secrets.push(url);
    }
  }
  if (headers) {
    for (const [name, value] of Object.entries(headers)) {
      if (!isSecretHeader(name)) continue;
      if (value.length >= 3) secrets.push(value);
      // "Bearer <token>", "Basic <credentials>": servers echo the credential alone.
      const credential = /^\s*[A-Za-z][\w-]*\s+(\S.*?)\s*$/.exec(value)?.[1];
      if (credential && credential.length >= 3) secrets.push(credential);
    }
  }
  // Longest first, so that a value containing another is replaced whole.
  return secrets.sort((a, b) => b.length - a.length);
}

/** Free text with every known secret replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** Free text with every URL in it redacted (for errors whose secrets we were not told about). */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url));
}
