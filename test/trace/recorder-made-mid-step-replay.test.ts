/**
 * The process's first trace recorder made by a `state` listener of the step a transport report
 * caused (the link's `transport.open`, on the memory network and the simulated clock): the trace
 * records that report as the transport's, as it does every report after, and replays identically.
 * (Marking reports only once a recorder exists, tried in round 26 and reverted, failed this.)
 * (Its own file: the recorder here must be the process's first.)
 */

import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, replayTrace, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace } from '../../src/trace/trace-format.js';
import type { TraceRecorder } from '../../src/trace/trace-recorder.js';

describe('the first trace recorder, made inside a step a transport report caused', () => {
  it('records that report as the transport’s, and the trace replays identically', async () => {
    const clock = new TestClock(1_000);
    const network = createMemoryNetwork({ clock, inProcess: false });
    const server = network.listen('mem://feed');
    const supervisor = createSupervisor({ transport: network.transport, clock, seed: 7 });
    let recorder: TraceRecorder | null = null;
    const link = supervisor.connect('mem://feed', { id: 'feed', heartbeat: false });
    link.on('state', ({ to }) => {
      if (to === 'ready' && recorder === null) recorder = recordSession(supervisor);
    });
    await clock.advance(100);
    expect(link.state).toBe('ready');
    server.dropAll(1012, 'restart');
    await clock.advance(5_000);
    expect(link.state).toBe('ready');
    const trace = (recorder as unknown as TraceRecorder).stop();
    await supervisor.terminate();
    const opens = trace.records.filter(
      (r) => r.kind === 'event' && r.actor === 'link:feed' && r.event.type === 'transport.open',
    );
    expect(opens.map((r) => r.kind === 'event' && r.source)).toEqual([
      { kind: 'child', id: 'transport' },
      { kind: 'child', id: 'transport' },
    ]);
    const result = await replayTrace(parseTrace(formatTrace(trace)));
    expect(result.message).toMatch(/^replay identical/);
    expect(result.ok).toBe(true);
  });
});
