/**
 * The trace file format: JSON Lines round trip, and errors (LV_ERR_INVALID_TRACE) that name the
 * line at fault. The recorded linkvisor version is the package's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayTrace, shrinkTrace } from '../../src/testing/index.js';
import { formatTrace, parseTrace, type Trace } from '../../src/trace/trace-format.js';
import { LINKVISOR_VERSION } from '../../src/util/version.js';
import { TRACE_HEADER } from './memory-session.js';

const header = TRACE_HEADER;

const trace: Trace = {
  header,
  records: [
    { kind: 'actor', step: 0, actor: 'socket', machine: 'socket', value: 'open', atMs: 0 },
    {
      kind: 'event',
      step: 1,
      actor: 'socket',
      machine: 'socket',
      atMs: 1,
      source: { kind: 'command' },
      event: { type: 'socket.close' },
      from: 'open',
      to: 'closed',
      transitions: [],
      status: 'done',
    },
  ],
};

/** A line whose `field` is a state value nested `depth` levels, `{"a":{"a":…"x"}}`, as JSON text
 * (deeper than JSON.stringify goes; a chart is a few levels deep). */
function nestedIn(record: unknown, field: string, depth: number): string {
  const value = `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
  return JSON.stringify({ ...(record as object), [field]: '@' }).replace('"@"', value);
}

function lines(...values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join('\n');
}

describe('trace format', () => {
  it('round-trips through JSON Lines, one record per line', () => {
    const text = formatTrace(trace);
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseTrace(text)).toEqual(trace);
    expect(parseTrace(text.replaceAll('\n', '\r\n'))).toEqual(trace);
  });

  it.each([
    ['', /empty file/],
    ['not json', /line 1 is not JSON/],
    [lines({ kind: 'actor' }), /line 1 is not a linkvisor-trace header/],
    [lines({ ...header, version: 2 }), /format version 2 is not supported/],
    [lines(header, { ...trace.records[0], step: 3 }), /line 2 has step 3, expected 0/],
    [lines(header, { ...trace.records[1], event: {} }), /line 2: event needs a type/],
    [lines(header, { ...trace.records[1], source: { kind: 'psychic' } }), /line 2: unknown source/],
    [
      lines(header, { ...trace.records[0], kind: 'other' }),
      /line 2: unknown record kind a string of 5 characters/,
    ],
    // Hostile files: what the CLI and the inspector read later must have its shape now.
    [
      `${lines(header)}\n${nestedIn(trace.records[0], 'value', 100_000)}`,
      /line 2: value is not a state value/,
    ],
    [`${lines(header)}\n${nestedIn(trace.records[1], 'to', 100)}`, /line 2: from\/to are not state values/],
    [lines(header, { ...trace.records[0], link: { url: 'ws://x', hooks: 5 } }), /line 2: link needs/],
    [lines(header, { ...trace.records[0], link: 'ws://x' }), /line 2: link needs/],
    [lines(header, { ...trace.records[0], existing: 'yes' }), /line 2: existing must be a boolean/],
    [lines(header, { ...trace.records[1], transitions: [null] }), /line 2: a transition needs/],
    [
      lines(header, { ...trace.records[1], transitions: [{ source: 'a', targets: [1] }] }),
      /line 2: a transition needs/,
    ],
    [
      lines(header, { ...trace.records[1], source: { kind: 'timer', delay: 3 } }),
      /line 2: source.delay must be a string/,
    ],
    [lines(header, { ...trace.records[1], source: { kind: 'child' } }), /line 2: source.id must be a string/],
    [
      lines(header, { ...trace.records[1], source: { kind: 'actor', actor: null } }),
      /line 2: source.actor must be a string/,
    ],
    [lines(header, { ...trace.records[1], status: 'zombie' }), /line 2: unknown status/],
    [lines(header, { ...trace.records[1], step: 0.5 }), /line 2: a record needs step/],
    [lines({ ...header, clockStartMs: 'now' }), /line 1: header.clockStartMs must be a number/],
    [lines({ ...header, seed: 'x' }), /line 1: header.seed \(or null\) must be a number/],
  ])('rejects case %#', (text, message) => {
    expect(() => parseTrace(text)).toThrow(message);
    try {
      parseTrace(text);
    } catch (error) {
      expect(error).toMatchObject({ code: 'LV_ERR_INVALID_TRACE', option: 'trace' });
    }
  });

  it('records the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(LINKVISOR_VERSION).toBe(pkg.version);
  });
});

describe('bad input to replay and shrink', () => {
  it.each([
    [undefined, 'LV_ERR_INVALID_TRACE', 'trace'],
    [{ records: [] }, 'LV_ERR_INVALID_TRACE', 'trace'],
    ['{"kind":"x"}', 'LV_ERR_INVALID_TRACE', 'trace'],
  ])('replayTrace(%j) rejects with %s naming %s', async (input, code, option) => {
    await expect(replayTrace(input as never)).rejects.toMatchObject({ code, option });
  });

  it('names the bad option', async () => {
    await expect(replayTrace(trace, { maxTimersPerStep: 0 })).rejects.toMatchObject({
      option: 'maxTimersPerStep',
    });
    await expect(replayTrace(trace, { linkOptions: 3 as never })).rejects.toMatchObject({
      option: 'linkOptions',
    });
    await expect(shrinkTrace(trace, () => false, { maxRuns: -1 })).rejects.toMatchObject({
      option: 'maxRuns',
    });
    await expect(shrinkTrace(trace, 'no' as never)).rejects.toMatchObject({ option: 'predicate' });
  });

  it('a header whose recorded supervisor options cannot be replayed is LV_ERR_INVALID_TRACE', async () => {
    const bad = { ...trace, header: { ...header, options: { lingerMs: -1 } } };
    await expect(replayTrace(formatTrace(bad))).rejects.toMatchObject({
      code: 'LV_ERR_INVALID_TRACE',
      option: 'trace',
      message: expect.stringMatching(/^trace: header options: lingerMs: must be/),
    });
  });

  it('takes the JSON Lines text as well as a parsed trace', async () => {
    expect((await replayTrace(formatTrace(trace))).message).toBe('replay identical: 2 steps of 1 actors');
  });
});
