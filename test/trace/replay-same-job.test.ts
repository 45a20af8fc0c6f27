/**
 * Which recorded inputs a replay applies in one job (replay-trace.ts, sameJobAsPrevious): only a
 * connection's end right after another link's end at the same instant, with nothing but the
 * socket's synchronous steps between them (a memory server's dropAll). Anything else between —
 * a command (the socket's after-step effect), a timer, a later instant, the same link — keeps
 * the replay's settle between the two, as before.
 */
import { describe, expect, it } from 'vitest';
import { sameJobAsPrevious } from '../../src/testing/replay-trace.js';
import type { TraceEventRecord, TraceSource } from '../../src/trace/trace-format.js';

function record(actor: string, type: string, source: TraceSource, atMs = 100): TraceEventRecord {
  return {
    kind: 'event',
    step: 0,
    actor,
    machine: 'x',
    atMs,
    source,
    event: { type },
    from: 'a',
    to: 'b',
    transitions: [],
  };
}
const transport: TraceSource = { kind: 'child', id: 'transport' };
const closed = (actor: string, atMs = 100) => record(actor, 'transport.closed', transport, atMs);
const lost = (linkId: string) => record('socket', 'link.lost', { kind: 'actor', actor: linkId });

describe('replay: inputs recorded in the same job', () => {
  it('a second link closed at the same instant, only the socket’s own steps between: the same job', () => {
    expect(sameJobAsPrevious([closed('link:a'), lost('link:a'), closed('link:b')], 2)).toBe(true);
    expect(sameJobAsPrevious([closed('link:a'), closed('link:b')], 1)).toBe(true);
  });

  it.each([
    ['the first input of all', [lost('link:a'), closed('link:b')]],
    ['a later instant', [closed('link:a'), lost('link:a'), closed('link:b', 101)]],
    ['the same link', [closed('link:a'), lost('link:a'), closed('link:a')]],
    [
      'a command between (an after-step effect)',
      [closed('link:a'), record('link:b', 'link.restart', { kind: 'command' }), closed('link:b')],
    ],
    [
      'a timer between',
      [
        closed('link:a'),
        record('link:c', 'xstate.after.x', { kind: 'timer', delay: 'x', delayMs: 1 }),
        closed('link:b'),
      ],
    ],
    ['another kind of input before', [record('link:a', 'transport.open', transport), closed('link:b')]],
    ['another kind of input after', [closed('link:a'), record('link:b', 'transport.open', transport)]],
  ])('%s: not the same job', (_, records) => {
    expect(sameJobAsPrevious(records, records.length - 1)).toBe(false);
  });
});
