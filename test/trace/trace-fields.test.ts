/**
 * A trace is user input (a file anyone can edit): every field a replay reads is checked when it is
 * loaded, as a file's text or as an object (i27follow). Before: a `transport.closed` whose reason
 * had no `message` (or no reason, or a numeric kind) was handed to the memory peer's `fail()` and
 * came back as a "could not be applied: reason: must be a reason" divergence blaming the replay; an
 * object trace was not checked record by record at all (a record without `source` or `event`, or a
 * null record, threw a raw TypeError from inside the replay; duplicate steps were taken); numbers
 * out of range (`atMs: 1e300`, a negative timer delay, `clockStartMs: 1e300`) and recorded link
 * options a link refuses were taken or diverged. Now each is LV_ERR_INVALID_TRACE naming the line
 * (text) or record (object) and the field. A reason kind the library does not make (a custom
 * transport's) is a string like any other: replayed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { replayTrace, shrinkTrace } from '../../src/testing/index.js';
import type { Trace, TraceEventRecord } from '../../src/trace/trace-format.js';
import { startBouncyFeed } from '../helpers/bouncy-feed.js';

// biome-ignore lint/suspicious/noExplicitAny: a test edits arbitrary paths of a recorded trace
type Mutable = Record<string, any>;

async function record(): Promise<Trace> {
  return (await startBouncyFeed()).finish();
}

/** The first event record of `type` (or from a timer), to edit. */
function first(trace: Trace, type: string): Mutable {
  const found = trace.records.find(
    (r): r is TraceEventRecord =>
      r.kind === 'event' && (type === 'timer' ? r.source.kind === 'timer' : r.event.type === type),
  );
  if (!found) throw new Error(`no ${type} record`);
  return found as Mutable;
}

const input = (trace: Trace): Mutable => first(trace, 'peer.add').event.inputs[0];

/** [what is edited, the edit, the field the refusal names]. */
const REFUSED: [string, (trace: Trace) => void, RegExp][] = [
  [
    'a reason without message',
    (t) => delete first(t, 'transport.closed').event.reason.message,
    /event\.reason\.message must be a string/,
  ],
  ['no reason', (t) => delete first(t, 'transport.closed').event.reason, /event\.reason must be an object/],
  [
    'a numeric reason kind',
    (t) => (first(t, 'transport.closed').event.reason.kind = 5),
    /event\.reason\.kind must be a string/,
  ],
  // A reason's code is not among them: a custom transport's own (a string, null) is recorded and
  // handed back as it was (test/trace/recorded-traces-load.test.ts).
  ['no source', (t) => delete first(t, 'transport.closed').source, /source must be an object/],
  [
    'an unknown source kind',
    (t) => (first(t, 'transport.closed').source = { kind: 'psychic' }),
    /unknown source kind a string of 7 characters/,
  ],
  ['no event', (t) => delete first(t, 'transport.closed').event, /event needs a type/],
  ['a numeric event type', (t) => (first(t, 'transport.closed').event.type = 5), /event needs a type/],
  ['no from', (t) => delete first(t, 'transport.closed').from, /from\/to are not state values/],
  ['no transitions', (t) => delete first(t, 'transport.closed').transitions, /transitions must be an array/],
  [
    'an unknown record kind',
    (t) => (first(t, 'transport.closed').kind = 'other'),
    /unknown record kind a string of 5 characters/,
  ],
  ['a null record', (t) => ((t.records as unknown[])[3] = null), /is not an object/],
  [
    'a duplicate step',
    (t) => ((t.records[4] as Mutable).step = 3),
    /(record 4|line 6) has step 3, expected 4/,
  ],
  [
    'a huge step',
    (t) => ((t.records[4] as Mutable).step = 1e300),
    /(record 4|line 6) has step 1e\+300, expected 4/,
  ],
  ['a huge atMs', (t) => (first(t, 'transport.closed').atMs = 1e300), /atMs must be a number between 0 and/],
  ['a negative atMs', (t) => (first(t, 'transport.closed').atMs = -5), /atMs must be a number between 0 and/],
  [
    'a huge timer delay',
    (t) => (first(t, 'timer').source.delayMs = 1e300),
    /source\.delayMs must be a number/,
  ],
  [
    'a negative timer delay',
    (t) => (first(t, 'timer').source.delayMs = -1),
    /source\.delayMs must be a number/,
  ],
  [
    'a huge clockStartMs',
    (t) => ((t.header as Mutable).clockStartMs = 1e300),
    /header\.clockStartMs must be a number/,
  ],
  ['another format version', (t) => ((t.header as Mutable).version = 2), /version 2|of version 1/],
  [
    'peer.add inputs that are no list',
    (t) => (first(t, 'peer.add').event.inputs = 5),
    /event\.inputs must be a list/,
  ],
  [
    'peer.add inputs of numbers',
    (t) => (first(t, 'peer.add').event.inputs = [5]),
    /event\.inputs\[0\] must be an object/,
  ],
  ['a numeric link id', (t) => (input(t).linkId = 7), /event\.inputs\[0\]\.linkId must be a link id/],
  [
    'a string heartbeat',
    (t) => (input(t).heartbeat = 'x'),
    /event\.inputs\[0\]\.heartbeat must be an object/,
  ],
  ['a string seed', (t) => (input(t).seed = 'x'), /event\.inputs\[0\]\.seed must be a number/],
  [
    'a huge backoff delay',
    (t) => (input(t).backoff.initialDelayMs = 1e300),
    /event\.inputs\[0\]: backoff\.initialDelayMs: must be between/,
  ],
  [
    'a negative connect timeout',
    (t) => (input(t).timeouts = { connectTimeoutMs: -4 }),
    /event\.inputs\[0\]: connectTimeoutMs: must be between/,
  ],
  [
    'a numeric pong proof',
    (t) => (first(t, 'heartbeat.pong').event.proof = 5),
    /event\.proof must be a string/,
  ],
];

/** As a file's text (blank-line free JSON Lines). */
const text = (trace: Trace) =>
  [trace.header, ...trace.records].map((line) => JSON.stringify(line)).join('\n');

describe('a partial or hand-edited trace is refused at load, naming the field', () => {
  let recorded: Trace;
  beforeAll(async () => {
    recorded = await record();
  });

  it.each(REFUSED)('%s: LV_ERR_INVALID_TRACE, as an object and as text', async (_, edit, field) => {
    const trace = structuredClone(recorded);
    edit(trace);
    for (const [form, given] of [
      ['object', trace],
      ['text', text(trace)],
    ] as const) {
      const error = await replayTrace(given).then(
        (result) => new Error(`${form}: replayed (${result.message})`),
        (e: unknown) => e,
      );
      expect(error, form).toMatchObject({ code: 'LV_ERR_INVALID_TRACE', option: 'trace' });
      expect((error as LinkvisorError).message, form).toMatch(field);
      expect((error as LinkvisorError).message, form).toMatch(
        form === 'object' ? /record \d+|header/ : /line \d+|record \d+|format version/,
      );
    }
    // shrinkTrace loads the same way, before it asks its predicate anything.
    let asked = 0;
    await expect(shrinkTrace(trace, () => asked++ > 0)).rejects.toMatchObject({
      code: 'LV_ERR_INVALID_TRACE',
    });
    expect(asked).toBe(0);
  });

  it('the recorded trace replays identically, and so does a reason kind of a custom transport (a string)', async () => {
    expect((await replayTrace(recorded)).ok).toBe(true);
    expect((await replayTrace(text(recorded))).ok).toBe(true);
    const custom = structuredClone(recorded);
    first(custom, 'transport.closed').event.reason.kind = 'carrier-lost';
    expect((await replayTrace(custom)).message).toMatch(/^replay identical/);
  });
});
