/**
 * Every form a secret can come back in (as written, percent-encoded, JSON-escaped, hex, base64 at
 * every alignment), for exact scrubbing by a link's SecretSet.
 */

/** Shortest secret worth scrubbing: shorter values ("1", "on") would shred ordinary text. */
const MIN_SECRET_LENGTH = 3;

/** `text` percent-decoded, or itself if it is not valid percent-encoding. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every form a secret can take on its way back from a server, a proxy or a library: as written,
 * percent-decoded, percent-encoded (component and URI style, upper- and lower-case hex), form-
 * encoded (`+` for a space), JSON-escaped, and, for 6 characters or more, its UTF-8 bytes as hex
 * (either case) and base64 / base64url (bytesForms: at any alignment inside a longer base64 text).
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const base of new Set([secret, percentDecoded(secret)])) {
    const encoded = encodeURIComponent(base);
    forms.add(base);
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    forms.add(encoded.replaceAll('%20', '+'));
    forms.add(encodeURI(base));
    forms.add(JSON.stringify(base).slice(1, -1));
    // Hex, base64 and base64url, for secrets long enough not to shred text.
    if (base.length >= MIN_BASE64_SECRET_LENGTH) for (const form of bytesForms(base)) forms.add(form);
  }
  return [...forms];
}

/** Shortest secret whose base64 forms are scrubbed too. */
const MIN_BASE64_SECRET_LENGTH = 6;

/** Shortest base64 run of a secret's bytes redacted inside a longer base64 text (6 bytes). */
const MIN_BASE64_CORE_CHARS = 8;

/** The forms of `text`'s UTF-8 bytes: hex (either case); base64 and base64url, padded or not
 * (base64Forms); and the runs its bytes make inside a longer base64 or base64url text (a token
 * encoded with what precedes it: `user:` + token, a JSON body), at each of the three alignments
 * (below); the base64 ones percent-encoded too (`+ / =` as `%2B %2F %3D`, in a URL). */
function bytesForms(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const forms = base64Forms(text);
  // base64Cores: the whole groups of 3 of its bytes from byte 0, 1 or 2 (the rest of it shares
  // characters with the bytes around it: a byte or two shown), when 8 characters or more.
  for (let start = 0; start < 3; start++) {
    const core = bytesToBase64(bytes.subarray(start, start + Math.floor((bytes.length - start) / 3) * 3));
    if (core.length >= MIN_BASE64_CORE_CHARS) forms.push(core, toBase64url(core));
  }
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return [hex, hex.toUpperCase(), ...forms, ...forms.map(encodeURIComponent)];
}

/** base64 as base64url (`-` for `+`, `_` for `/`). */
function toBase64url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}

/** base64 of `text` (UTF-8), without its padding, and base64url. */
function base64Forms(text: string): string[] {
  const base64 = bytesToBase64(new TextEncoder().encode(text));
  const bare = base64.replace(/=+$/, '');
  return [base64, bare, toBase64url(bare)];
}

/** The base64 and base64url forms (padded and not) of a `user:password` credential. */
export function credentialForms(user: string, password: string): string[] {
  const out: string[] = [];
  for (const pair of new Set([
    `${user}:${password}`,
    `${percentDecoded(user)}:${percentDecoded(password)}`,
  ])) {
    out.push(...base64Forms(pair));
  }
  return out;
}

/** Base64 of bytes, without Buffer (this module also runs in browsers). */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Adds every form of `secret` (secretForms) to `secrets`, when it is long enough to scrub. */
export function pushSecret(secrets: string[], secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) for (const form of secretForms(secret)) secrets.push(form);
}

/** `secrets` without the strings too short to scrub. */
export function scrubbable(secrets: string[]): string[] {
  return secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}
