/**
 * Options as React hands them over: a new object (and new inline functions) on every render.
 * `stableKey` says whether two renders asked for the same thing: plain data compares by value
 * (keys sorted, so `{ a, b }` and `{ b, a }` are one key), functions only by where they are (a
 * new closure of the same callback is the same key), anything else (a class instance, a buffer,
 * a constructor named in `identityKeys`) by identity. `forwardCallbacks` replaces every function
 * of a value by one that calls the function at the same place in `latest()`: a link created
 * from the first render keeps calling the latest render's callbacks without being created again.
 */

/** Markers that no JSON of plain data can produce (their key holds a NUL). */
const FUNCTION = { '\u0000fn': 1 };

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identityOf(value: object): { '\u0000id': number } {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(value, id);
  }
  return { '\u0000id': id };
}

/** A plain object (an object literal or `Object.create(null)`), as options are. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` as plain JSON data; `within` holds the objects and arrays it is inside of: one met again
 * (a value that refers to itself) is compared by identity, not walked for ever. */
function normalise(
  value: unknown,
  identityKeys: ReadonlySet<string>,
  name: string,
  within: Set<object> = new Set(),
): unknown {
  if (typeof value === 'function') return identityKeys.has(name) ? identityOf(value) : FUNCTION;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { '\u0000num': String(value) };
  if (typeof value === 'bigint') return { '\u0000big': String(value) };
  if (typeof value === 'symbol') return identityOf(Object(value));
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof URL) return { '\u0000url': value.href };
  if (within.has(value)) return identityOf(value);
  within.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item) => normalise(item, identityKeys, '', within));
  else if (!isPlainObject(value) || identityKeys.has(name)) out = identityOf(value);
  else {
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) fields[key] = normalise(value[key], identityKeys, key, within);
    }
    out = fields;
  }
  within.delete(value);
  return out;
}

/**
 * One string per distinct request: equal for renders that ask for the same thing. Values under a
 * key named in `identityKeys` (e.g. a `WebSocket` constructor) compare by identity.
 */
export function stableKey(value: unknown, identityKeys: ReadonlySet<string> = new Set()): string {
  return JSON.stringify(normalise(value, identityKeys, '')) ?? 'undefined';
}

function at(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

/**
 * A copy of `value` (plain objects and arrays are copied, nothing else) whose functions call the
 * function found at the same place in `latest()` when they run, so the caller always runs the
 * latest render's callback. Values under `identityKeys` are kept as they are (a constructor is
 * called with `new`, not forwarded), and so is one met again inside itself (a cycle).
 */
export function forwardCallbacks<T>(value: T, latest: () => unknown, identityKeys: ReadonlySet<string>): T {
  /** The objects and arrays being copied: one met again inside itself is kept as it is. */
  const within = new Set<unknown>();
  const walk = (item: unknown, path: (string | number)[]): unknown => {
    const name = path.at(-1);
    if ((typeof name === 'string' && identityKeys.has(name)) || within.has(item)) return item;
    if (typeof item === 'function') {
      const fallback = item as (...args: unknown[]) => unknown;
      return function forwarded(this: unknown, ...args: unknown[]): unknown {
        const current = at(latest(), path);
        return (typeof current === 'function' ? current : fallback).apply(this, args);
      };
    }
    if (!Array.isArray(item) && !isPlainObject(item)) return item;
    within.add(item);
    const out = Array.isArray(item)
      ? item.map((entry, i) => walk(entry, [...path, i]))
      : Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry, [...path, key])]));
    within.delete(item);
    return out;
  };
  return walk(value, []) as T;
}
