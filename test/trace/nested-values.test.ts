/**
 * A hostile trace file nesting a value thousands of levels deep (an event's field, the header's
 * options) is refused when it is read, with LV_ERR_INVALID_TRACE naming the line and the field:
 * it parsed, then overflowed the stack of the readers that walk it (formatTrace threw a
 * RangeError; the inspector page's timeline stringifies each step's event). What a recorder
 * writes stays readable: it cuts values at 12 levels (trace-json.ts), however deep the options.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace } from '../../src/trace/trace-format.js';
import { TRACE_HEADER } from './memory-session.js';

const actor = { kind: 'actor', step: 0, actor: 'socket', machine: 'socket', value: 'open', atMs: 0 };
const event = {
  kind: 'event',
  step: 1,
  actor: 'socket',
  machine: 'socket',
  atMs: 1,
  source: { kind: 'command' },
  event: { type: 'socket.close', deep: '@' },
  from: 'open',
  to: 'closed',
  transitions: [],
  status: 'done',
};
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const line = (value: object, depth: number) => JSON.stringify(value).replace('"@"', nested(depth));

function refusal(text: string): unknown {
  try {
    formatTrace(parseTrace(text));
  } catch (error) {
    return error;
  }
  return null;
}

describe('values nested past what a trace holds', () => {
  it('an event field nested 100,000 levels: refused naming the line and the field', () => {
    const text = [JSON.stringify(TRACE_HEADER), JSON.stringify(actor), line(event, 100_000)].join('\n');
    expect(refusal(text)).toMatchObject({
      code: 'LV_ERR_INVALID_TRACE',
      message: expect.stringMatching(/^trace: line 3: event\.deep is nested more than 40 levels deep/),
    });
  });

  it("the header's options nested 100,000 levels: refused naming line 1", () => {
    const header = line({ ...TRACE_HEADER, options: { wsOptions: '@' } }, 100_000);
    expect(refusal(`${header}\n${JSON.stringify(actor)}\n`)).toMatchObject({
      code: 'LV_ERR_INVALID_TRACE',
      message: expect.stringMatching(/^trace: line 1: options\.wsOptions is nested more than 40 levels/),
    });
  });

  it('a recorded trace whose options nest deeper than 40 levels still reads (cut at 12)', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    network.listen('mem://feed');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 60; i++) deep = { inner: deep };
    const supervisor = createSupervisor({ transport: network.transport, clock, wsOptions: { deep } });
    const recorder = recordSession(supervisor);
    supervisor.connect('mem://feed', { id: 'feed', wsOptions: { deep } });
    await clock.advance(100);
    const text = formatTrace(recorder.stop());
    await supervisor.terminate();
    expect(text).toContain('"inner":"[redacted]"');
    expect(parseTrace(text).records.length).toBeGreaterThan(2);
  });
});
