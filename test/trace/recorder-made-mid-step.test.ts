/**
 * The process's first trace recorder made while a link's transport report is on its way (a
 * `state` listener of the step that report causes starts the recording): the trace must record
 * that report as the transport's (`child` of `transport`), as it does a report sent after, not as
 * a command. It guards against marking reports (src/runtime/transport-reports.ts) only once a
 * recorder exists: that saving (round 26) mislabelled this report and was reverted. (Its own file:
 * the recorder here must be the process's first.)
 */

import { describe, expect, it } from 'vitest';
import { recordSession } from '../../src/trace/record-session.js';
import type { TraceRecorder } from '../../src/trace/trace-recorder.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('the first trace recorder, made inside a step a transport report caused', () => {
  const h = useHarness();

  it('records that report as the transport’s', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    let recorder: TraceRecorder | null = null;
    const link = supervisor.connect(server.url, { id: 'feed' });
    link.on('state', ({ to }) => {
      if (to === 'ready' && recorder === null) recorder = recordSession(supervisor);
    });
    await link.ready();
    expect(recorder).not.toBeNull();
    const trace = (recorder as unknown as TraceRecorder).stop();
    const opened = trace.records.find(
      (r) => r.kind === 'event' && r.actor === 'link:feed' && r.event.type === 'transport.open',
    );
    expect(opened?.kind === 'event' && opened.source).toEqual({ kind: 'child', id: 'transport' });
  });
});
