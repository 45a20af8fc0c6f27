/**
 * traceSteps: the pure stepping function the inspector page will use to open a trace.
 */
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/trace/trace-format.js';
import { statePaths, traceStepAt, traceSteps } from '../../src/trace/trace-steps.js';
import { TRACE_HEADER } from './memory-session.js';

const header = TRACE_HEADER;

const trace: Trace = {
  header,
  records: [
    { kind: 'actor', step: 0, actor: 'socket', machine: 'socket', value: 'open', atMs: 0 },
    {
      kind: 'actor',
      step: 1,
      actor: 'link:a',
      machine: 'connection',
      value: { attempt: 'connecting' },
      atMs: 0,
    },
    {
      kind: 'actor',
      step: 2,
      actor: 'link:b',
      machine: 'connection',
      value: { attempt: 'connecting' },
      atMs: 0,
    },
    {
      kind: 'event',
      step: 3,
      actor: 'link:a',
      machine: 'connection',
      atMs: 5,
      source: { kind: 'child', id: 'transport' },
      event: { type: 'transport.open' },
      from: { attempt: 'connecting' },
      to: { attempt: { ready: 'beating' } },
      transitions: [{ source: 'attempt.connecting', targets: ['attempt.ready'] }],
    },
    {
      kind: 'event',
      step: 4,
      actor: 'link:b',
      machine: 'connection',
      atMs: 9,
      source: { kind: 'child', id: 'transport' },
      event: { type: 'transport.closed' },
      from: { attempt: 'connecting' },
      to: 'failed',
      transitions: [],
      status: 'done',
    },
  ],
};

describe('traceSteps', () => {
  it('lists every state node a value is in', () => {
    expect(statePaths({ attempt: { ready: 'beating' } })).toEqual([
      'attempt',
      'attempt.ready',
      'attempt.ready.beating',
    ]);
    expect(statePaths('idle')).toEqual(['idle']);
  });

  it('gives one snapshot per record with every actor, populations and the lit transitions', () => {
    const steps = traceSteps(trace);
    expect(steps).toHaveLength(5);
    expect(steps[2]?.populations.connection).toEqual({ attempt: 2, 'attempt.connecting': 2 });
    expect(steps[3]?.populations.connection).toEqual({
      attempt: 2,
      'attempt.connecting': 1,
      'attempt.ready': 1,
      'attempt.ready.beating': 1,
    });
    expect(steps[3]?.transitions).toEqual([{ source: 'attempt.connecting', targets: ['attempt.ready'] }]);
    expect(steps[4]?.actors['link:b']).toEqual({ machine: 'connection', value: 'failed', status: 'done' });
    expect(steps[4]?.populations.connection).toEqual({
      attempt: 1,
      'attempt.ready': 1,
      'attempt.ready.beating': 1,
      failed: 1,
    });
    expect(steps[4]?.populations.socket).toEqual({ open: 1 });
    // Stepping back shows the earlier state: snapshots are not mutated by later steps.
    expect(steps[1]?.actors['link:a']?.value).toEqual({ attempt: 'connecting' });
    expect(steps[1]?.actors['link:b']).toBeUndefined();
  });

  it('gives the snapshot at one step, or null outside the trace', () => {
    expect(traceStepAt(trace, 3)?.actors['link:a']?.value).toEqual({ attempt: { ready: 'beating' } });
    expect(traceStepAt(trace, 5)).toBeNull();
    expect(traceStepAt(trace, -1)).toBeNull();
  });

  it('names are data: a hostile trace naming actors, charts and states __proto__ or constructor is stepped like any other', () => {
    const hostile: Trace = {
      header,
      records: [
        // As JSON.parse reads it: `__proto__` an own key, as in a file.
        JSON.parse(
          '{"kind":"actor","step":0,"actor":"__proto__","machine":"__proto__","atMs":0,"value":{"__proto__":"x"}}',
        ) as Trace['records'][number],
        {
          kind: 'actor',
          step: 1,
          actor: 'constructor',
          machine: 'toString',
          value: 'hasOwnProperty',
          atMs: 0,
        },
        {
          kind: 'event',
          step: 2,
          actor: '__proto__',
          machine: '__proto__',
          atMs: 1,
          source: { kind: 'command' },
          event: { type: 'x' },
          from: 'a',
          to: 'constructor',
          transitions: [],
        },
      ],
    };
    const last = traceSteps(hostile).at(-1);
    expect(Object.keys(last?.actors ?? {})).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(last?.populations)).toBe(
      '{"__proto__":{"constructor":1},"toString":{"hasOwnProperty":1}}',
    );
  });
});
