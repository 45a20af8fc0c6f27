/**
 * Turns runtime values into the plain, redacted JSON a trace holds: actor references are left
 * out, functions shown as "[function]", non-finite numbers become strings; in every string, URLs
 * lose their query values and user info, and every known secret is replaced raw, percent-encoded
 * and in base64; values of secret-looking fields (`authorization`, `token`…), subprotocols
 * (`protocols`) and credential-shaped strings (`Bearer …`, a JWT) are hidden.
 */
import { isCredentialValue, isSecretKey, REDACTED, redactText, redactUrlsIn } from '../util/redact.js';
import { scrubCredentials } from '../util/scrub-credentials.js';
import type { TraceJson } from './trace-format.js';

/** Fields of free text: scrubbed of credentials by their shape, besides the link's known secrets. */
const FREE_TEXT_KEYS: ReadonlySet<string> = new Set(['reason', 'message']);

function isActorRef(value: object): boolean {
  return 'sessionId' in value && typeof (value as { send?: unknown }).send === 'function';
}

function base64(text: string): string | null {
  try {
    const bytes = new TextEncoder().encode(text);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  } catch {
    return null;
  }
}

/** The secrets with their base64 and base64url spellings added (longest first). */
export function traceSecrets(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    out.add(secret);
    const encoded = base64(secret);
    if (encoded === null) continue;
    const bare = encoded.replace(/=+$/, '');
    if (bare.length >= 4) {
      out.add(encoded);
      out.add(bare);
      out.add(bare.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** Bytes (a Buffer, a typed array, an ArrayBuffer): never written out, only their size. */
function binaryLength(value: object): number | null {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  return null;
}

/**
 * A plain JSON copy of `value` with secrets replaced; undefined for what JSON cannot hold. Under
 * a secret-looking name (`hidden`), every string and every binary value is hidden, whatever the
 * shape around it (a list of PEM keys, `auth: { user, password }`); numbers and booleans stay.
 */
export function toTraceJson(
  value: unknown,
  secrets: readonly string[],
  depth = 0,
  hidden = false,
): TraceJson | undefined {
  if (depth > 12) return REDACTED;
  switch (typeof value) {
    case 'string': {
      // A credential by its shape (`Bearer …`, a JWT) whatever its field's name: the supervisor's
      // options in the header are recorded with no link's secrets to scrub them.
      if (hidden || isCredentialValue(value)) return REDACTED;
      const text = redactUrlsIn(value);
      return secrets.length === 0 ? text : redactText(text, secrets);
    }
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'function':
      return '[function]';
    case 'object': {
      if (value === null) return null;
      if (isActorRef(value)) return undefined;
      const bytes = binaryLength(value);
      if (bytes !== null) return hidden ? REDACTED : `[binary ${bytes} bytes]`;
      if (value instanceof URL) return toTraceJson(value.toString(), secrets, depth + 1, hidden);
      if (Array.isArray(value))
        return value.map((item) => toTraceJson(item, secrets, depth + 1, hidden) ?? null);
      const out: Record<string, TraceJson> = {};
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        // Subprotocols in options may be credentials (`['token', apiKey]`): hidden, their count kept.
        if (key === 'protocols' && (typeof inner === 'string' || Array.isArray(inner))) {
          out[key] = typeof inner === 'string' ? REDACTED : inner.map(() => REDACTED);
          continue;
        }
        // Header maps and TLS options: values of secret-looking names are hidden whatever they are.
        const json = toTraceJson(inner, secrets, depth + 1, hidden || isSecretKey(key));
        // Free text (a close reason the application wrote, a reason's message): credentials a
        // link was never given (`token=…`, `Bearer …`) go too, as they do from what the socket reports.
        if (typeof json === 'string' && FREE_TEXT_KEYS.has(key)) {
          out[key] = scrubCredentials(json);
          continue;
        }
        if (json !== undefined) out[key] = json;
      }
      return out;
    }
    default:
      return undefined;
  }
}
