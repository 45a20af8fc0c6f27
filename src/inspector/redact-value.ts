/**
 * The inspector's redaction pass: everything it sends to the page goes through here, even text
 * the runtime already redacted (src/util/redact.ts). URLs lose their query values and user info;
 * auth-like fields (`Authorization`, `token`, `cookie`…) lose their values; `Bearer …` and
 * `token=…` in free text lose their credentials. Payloads are cut to a small size and depth.
 * A value that cannot be read (a getter that throws, a Proxy whose traps throw) becomes
 * `[unreadable]`: redaction never throws, so a user's odd context or event costs one field, not
 * the record (nor, in Stately's observer, which serialises in a timer, the process).
 */
import { isCredentialValue, isSecretKey, REDACTED } from '../util/redact.js';
import { scrubCredentials } from '../util/scrub-credentials.js';

const MAX_TEXT = 500;
const MAX_DEPTH = 4;
const MAX_ITEMS = 20;

/** What stands for a value whose reading threw (its error is not shown: it may quote a secret). */
export const UNREADABLE = '[unreadable]';

/** Free text with URLs, credentials and secret assignments redacted, cut to a readable size. */
export function scrubText(text: string): string {
  const out = scrubCredentials(text);
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}…` : out;
}

/** An actor ref (anything with `id`, `send` and `getSnapshot`) is shown by its id only. */
function isActorRef(value: object): value is { id: string } {
  const v = value as { id?: unknown; send?: unknown; getSnapshot?: unknown };
  return typeof v.id === 'string' && typeof v.send === 'function' && typeof v.getSnapshot === 'function';
}

/**
 * A plain, small, redacted copy of any value (event payloads, context). `secret`: the value sits
 * under an auth-like key (`headers.cookie: [...]`, `auth: { user, pass }`), so every primitive in
 * it is a secret, however deep.
 */
export function redactValue(value: unknown, depth = 0, secret = false): unknown {
  try {
    return copyOf(value, depth, secret);
  } catch {
    return UNREADABLE;
  }
}

function copyOf(value: unknown, depth: number, secret: boolean): unknown {
  if (value === null || value === undefined) return value ?? null;
  // Under a secret name: every primitive, and a URL or an Error (text in another wrapper).
  if (secret && (typeof value !== 'object' || value instanceof URL || value instanceof Error))
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : REDACTED;
  // A value that is a credential by its shape (`Digest username="u", response="…"`, a JWT) whole:
  // free-text scrubbing keeps the scheme's parameters.
  if (typeof value === 'string') return isCredentialValue(value) ? REDACTED : scrubText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object') return undefined;
  if (isActorRef(value)) return `[actor ${value.id}]`;
  if (value instanceof URL) return scrubText(value.toString());
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message) };
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactValue(item, depth + 1, secret));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key of Object.keys(value)) {
    if (n++ >= MAX_ITEMS) {
      out['…'] = 'more fields';
      break;
    }
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch {
      out[key] = UNREADABLE; // a getter that throws: the other fields are still worth showing
      continue;
    }
    const copy = redactValue(item, depth + 1, secret || isSecretKey(key));
    if (copy !== undefined) out[key] = copy;
  }
  return out;
}
