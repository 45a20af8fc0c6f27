/**
 * The checks every option parser is made of: no unknown key (with a "did you mean" hint for a
 * misspelt one), a finite number within its bounds, one of a few names, a string, a function. Each throws a LinkvisorError
 * naming the option by its dotted path; none shows the value it refuses (a secret may be in it)
 * but a typo of a name it knows (`shownChoice`: a misspelt name is worth seeing).
 * The parsers themselves live beside what they configure (runtime/options.ts, dropin/ws-options.ts,
 * resume/resume-options.ts, …).
 */
import { describe, isShownWord, lengthOf } from './describe.js';
import { optionError } from './errors.js';

/** Every key of `value` is in `known`, or LV_ERR_UNKNOWN_OPTION names the first that is not (a
 * key that is no word nor a typo of a known one by its length). */
export function checkKnownKeys(
  value: Record<string, unknown>,
  known: ReadonlySet<string>,
  path: string,
): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const hint = closestName(known, key);
      // The key names the option unless it could be a secret (a token pasted as a key): `shown`.
      const name = hint || isShownWord(key) ? key : `[${lengthOf(key)}]`;
      throw optionError(
        path ? `${path}.${name}` : name,
        `unknown option${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${[...known].join(', ')}`,
        'LV_ERR_UNKNOWN_OPTION',
      );
    }
  }
}

/** The first of `known` at most two edits from `given` (case aside), for a "did you mean" hint on
 * a misspelt name; undefined when none is that close. */
export function closestName(known: Iterable<string>, given: string): string | undefined {
  const typed = given.toLowerCase();
  for (const name of known) if (editDistance(name.toLowerCase(), typed) <= 2) return name;
  return undefined;
}

/**
 * A value refused for being none of `choices` (an enum value, a network signal, a trace's record
 * kind) as an error shows it: quoted with a "did you mean" hint only when it is a typo of one (at
 * most two edits from it: nothing of a secret), any other string by its length (a weak password,
 * `hunter2`, is shaped like a word), anything else by `describe`.
 */
export function shownChoice(value: unknown, choices: Iterable<string>): string {
  if (typeof value !== 'string') return describe(value);
  const hint = closestName(choices, value);
  return hint === undefined ? lengthOf(value) : `'${value}' (did you mean '${hint}'?)`;
}

/** Levenshtein distance, for "did you mean" hints on misspelt option names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A finite number within [min, max] (XState fires a NaN or infinite delay at once). */
export function checkNumber(
  value: unknown,
  path: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false, allowInfinity = false } = {},
): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    throw optionError(path, `must be a finite number, got ${describe(value)}`);
  }
  if (value < min || (Number.isFinite(value) && value > max)) {
    throw optionError(path, `must be between ${min} and ${max}, got ${value}`);
  }
  if (integer && Number.isFinite(value) && !Number.isInteger(value)) {
    throw optionError(path, `must be a whole number, got ${value}`);
  }
  return value;
}

/** The bounds of checkNumber. */
export type NumberBounds = Parameters<typeof checkNumber>[2];

/** `from[key]`, when given, checked by checkNumber (naming `path.key`) into `to[key]`: one line per
 * numeric option of a parser instead of the same three each. */
export function copyNumber<K extends string>(
  from: Record<string, unknown>,
  to: { [P in K]?: number },
  key: K,
  path: string,
  bounds?: NumberBounds,
): void {
  if (from[key] !== undefined) to[key] = checkNumber(from[key], `${path}.${key}`, bounds);
}

/** One of `choices`, or LV_ERR_INVALID_OPTION listing them (a typo of one quoted with its hint, any
 * other string by its length, anything else by its kind: `shownChoice`, never converted, whose own
 * toString may throw). */
export function checkOneOf<T extends string>(value: unknown, choices: readonly T[], path: string): T {
  if (!choices.includes(value as T)) {
    throw optionError(path, `must be one of ${choices.join(', ')}, got ${shownChoice(value, choices)}`);
  }
  return value as T;
}

/** A string (a lookup's key: `supervisor.get(id)`, `watcher(name)`, the inspector's `get(id)`), or
 * LV_ERR_INVALID_OPTION: a number or undefined would find nothing, silently, and a symbol throw a
 * raw TypeError from the key's template. */
export function checkString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw optionError(path, `must be a string, got ${describe(value)}`);
  return value;
}

/** A function (an application callback), or LV_ERR_INVALID_OPTION. */
export function checkFunction(value: unknown, path: string): void {
  if (typeof value !== 'function') throw optionError(path, `must be a function, got ${describe(value)}`);
}

/** A clock (`now`, `setTimeout`, `clearTimeout`: a TestClock, XState's SimulatedClock), or
 * LV_ERR_INVALID_OPTION: a wrong one would fail at its first timer, inside an actor or a socket's
 * event handler, far from the option that caused it. */
export function checkClock(
  value: unknown,
  path: string,
  methods = ['now', 'setTimeout', 'clearTimeout'],
): void {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  const missing = methods.filter((name) => typeof record?.[name] !== 'function');
  if (missing.length > 0) {
    throw optionError(
      path,
      `must be a clock with ${methods.map((name) => `${name}()`).join(', ')} (missing ${missing.join(', ')}), got ${describe(value)}`,
    );
  }
}
