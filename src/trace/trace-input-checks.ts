/**
 * The fields of a trace's input events that a replay hands to the runtime (src/testing/
 * replay-session.ts, replay-transport-input.ts): checked when the trace is read (./trace-format.ts),
 * so a partial or hand-edited trace is refused there with LV_ERR_INVALID_TRACE naming the line and
 * the field, never a TypeError or an option error of the memory peer from deep inside the replay.
 * A field a replay does not read stays free (a reason's extra fields, a custom transport's reason
 * kinds: a kind only has to be a string). Recorded numbers are JSON numbers within ±2^53 (the
 * recorder writes nothing else; a bigger one has lost its digits).
 */

import { describe, isRecord, isShownWord, lengthOf } from '../util/describe.js';

/** `problem` for the field `path` of a record, or null when the field is fine. */
type FieldCheck = (value: unknown, path: string) => string | null;

const isSafe = (value: unknown): value is number =>
  typeof value === 'number' && Math.abs(value) <= Number.MAX_SAFE_INTEGER;

/** A number within the safe range, not below `min`. */
export function checkRecordedNumber(value: unknown, path: string, min = 0): string | null {
  if (isSafe(value) && value >= min) return null;
  return `${path} must be a number between ${min} and ${Number.MAX_SAFE_INTEGER}, got ${describe(value)}`;
}

const string: FieldCheck = (value, path) =>
  typeof value === 'string' ? null : `${path} must be a string, got ${describe(value)}`;

const optional =
  (check: FieldCheck): FieldCheck =>
  (value, path) =>
    value === undefined ? null : check(value, path);

const object: FieldCheck = (value, path) =>
  isRecord(value) && !Array.isArray(value) ? null : `${path} must be an object, got ${describe(value)}`;

/** A disconnect reason as the runtime reports one: `kind` and `message` strings (what the memory
 * peer's `fail` takes). Its other fields, `code` too, are handed back as they were recorded: a
 * custom transport's reason may carry a code of its own (null, -1, 'E_OWN') that the runtime took. */
const reason: FieldCheck = (value, path) =>
  object(value, path) ??
  string((value as Record<string, unknown>).kind, `${path}.kind`) ??
  string((value as Record<string, unknown>).message, `${path}.message`);

/** A handshake failure: its message (optional, '' then) and whether it was fatal. */
const handshakeReason: FieldCheck = (value, path) =>
  object(value, path) ??
  optional(string)((value as Record<string, unknown>).message, `${path}.message`) ??
  optional((fatal, at) =>
    typeof fatal === 'boolean' ? null : `${at} must be a boolean, got ${describe(fatal)}`,
  )((value as Record<string, unknown>).fatal, `${path}.fatal`);

const OUTCOMES: readonly unknown[] = ['new', 'resumed', 'reset'];

/** The options a replayed link is made of (`peer.add`'s chart input): the fields replayLinkOptions reads. */
function linkInput(value: unknown, path: string): string | null {
  const problem = object(value, path);
  if (problem) return problem;
  const input = value as Record<string, unknown>;
  if (typeof input.linkId !== 'string' || !input.linkId.startsWith('link:'))
    return `${path}.linkId must be a link id ('link:…'), got ${describe(input.linkId)}`;
  for (const key of ['backoff', 'timeouts', 'heartbeat', 'resume'])
    if (input[key] !== undefined && input[key] !== null) {
      const inner = object(input[key], `${path}.${key}`);
      if (inner) return inner;
    }
  if (input.intensity !== undefined && input.intensity !== false) {
    const inner = object(input.intensity, `${path}.intensity`);
    if (inner) return inner;
  }
  return optional((seed, at) => checkRecordedNumber(seed, at, -Number.MAX_SAFE_INTEGER))(
    input.seed,
    `${path}.seed`,
  );
}

function peerAdd(event: Record<string, unknown>): string | null {
  if (event.inputs === undefined) return linkInput(event.input, 'event.input');
  if (!Array.isArray(event.inputs) || event.inputs.length === 0)
    return `event.inputs must be a list of link inputs, got ${describe(event.inputs)}`;
  for (const [i, input] of event.inputs.entries()) {
    const problem = linkInput(input, `event.inputs[${i}]`);
    if (problem) return problem;
  }
  return null;
}

/** The checks of an input event's fields, by its type; types not listed carry none the replay reads. */
const INPUT_FIELDS: Record<string, (event: Record<string, unknown>) => string | null> = {
  'transport.closed': (event) => reason(event.reason, 'event.reason'),
  'resume.failed': (event) => reason(event.reason, 'event.reason'),
  'handshake.failed': (event) => handshakeReason(event.reason, 'event.reason'),
  'heartbeat.pong': (event) => optional(string)(event.proof, 'event.proof'),
  'resume.done': (event) =>
    OUTCOMES.includes(event.outcome)
      ? null
      : `event.outcome must be one of new, resumed, reset, got ${describe(event.outcome)}`,
  'peer.add': peerAdd,
  'peer.remove': (event) =>
    string(event.linkId, 'event.linkId') ??
    optional((code, at) => checkRecordedNumber(code, at))(event.code, 'event.code') ??
    optional(string)(event.reason, 'event.reason'),
};

/** What is wrong with the fields of an input event (one a replay applies), or null. */
export function inputEventProblem(event: Record<string, unknown> & { type: string }): string | null {
  const check = Object.hasOwn(INPUT_FIELDS, event.type) ? INPUT_FIELDS[event.type] : undefined;
  return check ? check(event) : null;
}

/** The most levels a value of a trace line may nest below the line (a record: its `event` 1,
 * the event's fields 2…). A recorder cuts values at 12 levels below the event (trace-json.ts) and
 * a state value may nest 32; a hostile file nesting thousands parsed, then overflowed the stack of
 * every reader that walks it (formatTrace, the inspector page's timeline). */
export const MAX_TRACE_NESTING = 40;

/** A key as a refusal names it: a word as it is, else by its length (a key is the file's text, and
 * may be a token pasted as one). */
const shownKey = (key: string) => (isShownWord(key) ? key : `[${lengthOf(key)}]`);

/**
 * What is wrong with a line's value nested past MAX_TRACE_NESTING levels (a hostile file, or an
 * object with a cycle given to a replay), naming the field it is in (its first two keys), or null.
 * Walks at most that many levels deep, so it cannot overflow the stack itself, and walks a value
 * shared by several fields (an object given to a replay) again only when met higher up, so values
 * shared level after level cost their count, not 2^levels.
 */
export function nestingProblem(line: Record<string, unknown>): string | null {
  /** The highest level each object was walked from, and found fine. */
  const walked = new Map<object, number>();
  const deepIn = (value: unknown, levels: number, path: string): string | null => {
    if (typeof value !== 'object' || value === null) return null;
    if (levels >= MAX_TRACE_NESTING) return path;
    const seen = walked.get(value);
    if (seen !== undefined && seen <= levels) return null;
    const isList = Array.isArray(value);
    for (const [key, inner] of Object.entries(value)) {
      const shown = shownKey(key);
      const named = levels >= 2 ? path : isList ? `${path}[${key}]` : path ? `${path}.${shown}` : shown;
      const found = deepIn(inner, levels + 1, named);
      if (found !== null) return found;
    }
    walked.set(value, levels);
    return null;
  };
  const path = deepIn(line, 0, '');
  return path === null ? null : `${path} is nested more than ${MAX_TRACE_NESTING} levels deep`;
}
