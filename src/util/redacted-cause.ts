/**
 * The `cause` an error shows: a redacted copy of what was thrown, never the thrown value itself
 * (docs/errors.md, "What `cause` is"). A token endpoint's error, a socket library's
 * `Invalid URL: wss://…?token=…`, a listener's error quoting a header: their message, stack,
 * `code` and nested causes may all hold the link's secrets, and `util.inspect(error)` or a
 * logger prints every one of them.
 *
 * The copy of an Error (or anything with a string `message`): the same class for a
 * LinkvisorError and JavaScript's own error classes (TypeError, SyntaxError…), else an Error; the same `name` and `code` (a string redacted, a number as is),
 * its message and stack redacted, its `cause` copied the same way (nested, to MAX_DEPTH), and
 * nothing else (no reference to the original). A string is redacted; a number, boolean, bigint,
 * null or undefined is kept; a symbol becomes its redacted text; any other object a copy of its
 * own enumerable fields (strings redacted, nested objects copied the same way). Never throws.
 */
import { LinkvisorError } from './errors.js';
import { redactUrlsIn } from './redact-url.js';
import { REDACTED } from './redacted.js';

/** How deep nested causes and fields are copied; deeper ones are shown as REDACTED. */
const MAX_DEPTH = 8;
/** How many fields of a plain object are copied (a huge object is cut, not walked). */
const MAX_FIELDS = 32;

/** A redacted copy of `cause` (see the file header): `redact` scrubs the link's known secrets
 * (its SecretSet, in every form), then any URL left in the text loses its query values and user
 * info. */
export function redactedCause(cause: unknown, redact: (text: string) => string = String): unknown {
  const scrub = (text: string) => redactUrlsIn(redact(text));
  return copy(cause, scrub, 0, new WeakMap());
}

/** `error` with its cause replaced by a redacted copy (the same error when it has none, or when
 * its cause is already one of these copies); its own message is the caller's, already redacted. */
export function withRedactedCause(error: LinkvisorError, redact?: (text: string) => string): LinkvisorError {
  const cause = error.cause;
  if (cause === undefined || COPIES.has(cause as object)) return error;
  const out = new LinkvisorError(error.code, error.message, {
    ...(error.option === undefined ? {} : { option: error.option }),
    cause: redactedCause(cause, redact),
  });
  out.stack = error.stack;
  return out;
}

/** The copies made here (a cause redacted twice is copied once). */
const COPIES = new WeakSet<object>();

function copy(
  value: unknown,
  scrub: (text: string) => string,
  depth: number,
  seen: WeakMap<object, unknown>,
): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value === 'symbol') return scrub(String(value.description ?? 'Symbol()'));
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (COPIES.has(value)) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  const known = seen.get(value);
  if (known !== undefined) return known;
  try {
    const out = isErrorLike(value)
      ? copyError(value, scrub, depth, seen)
      : copyFields(value, scrub, depth, seen);
    COPIES.add(out as object);
    return out;
  } catch {
    return `${typeof value} that cannot be shown`;
  }
}

/** JavaScript's own error classes: a copy is made of the same one (TypeError stays a TypeError);
 * another class (a DOMException, a library's) cannot be made without its constructor's
 * arguments: its copy is an Error with its `name`. */
const BUILT_IN: readonly ErrorConstructor[] = [
  TypeError,
  SyntaxError,
  RangeError,
  ReferenceError,
  EvalError,
  URIError,
];

function builtInClass(value: object): ErrorConstructor | undefined {
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  return BUILT_IN.find((ctor) => ctor.prototype === proto);
}

/** Whether `value` is an Error or looks like one (a DOMException, a polyfill's error). */
function isErrorLike(value: object): boolean {
  return value instanceof Error || typeof (value as { message?: unknown }).message === 'string';
}

function copyError(
  value: object,
  scrub: (text: string) => string,
  depth: number,
  seen: WeakMap<object, unknown>,
): Error {
  const source = value as {
    message?: unknown;
    name?: unknown;
    code?: unknown;
    stack?: unknown;
    cause?: unknown;
  };
  const message = typeof source.message === 'string' ? scrub(source.message) : '';
  const out =
    value instanceof LinkvisorError
      ? new LinkvisorError(value.code, message, value.option === undefined ? {} : { option: value.option })
      : new (builtInClass(value) ?? Error)(message);
  seen.set(value, out);
  const name = source.name;
  if (typeof name === 'string' && !(out instanceof LinkvisorError)) {
    Object.defineProperty(out, 'name', { value: scrub(name), writable: true, configurable: true });
  }
  const code = source.code;
  if (!(out instanceof LinkvisorError) && (typeof code === 'string' || typeof code === 'number')) {
    Object.assign(out, { code: typeof code === 'string' ? scrub(code) : code });
  }
  const stack = source.stack;
  out.stack = typeof stack === 'string' ? scrub(stack) : `${out.name}: ${message}`;
  if ('cause' in value && source.cause !== undefined) {
    Object.defineProperty(out, 'cause', {
      value: copy(source.cause, scrub, depth + 1, seen),
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function copyFields(
  value: object,
  scrub: (text: string) => string,
  depth: number,
  seen: WeakMap<object, unknown>,
): unknown {
  if (typeof value === 'function') return `[function ${scrub(value.name)}]`;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  seen.set(value, out);
  let fields = 0;
  for (const key of Object.keys(value)) {
    if (fields++ >= MAX_FIELDS) break;
    const field = (value as Record<string, unknown>)[key];
    (out as Record<string, unknown>)[scrub(key)] = copy(field, scrub, depth + 1, seen);
  }
  return out;
}
