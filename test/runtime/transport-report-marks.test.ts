/**
 * A link's transport reports (`transport.open`, …) are marked as the transport's for a session
 * trace to read (src/runtime/transport-reports.ts) only once a trace recorder exists in the
 * process: a WeakSet entry per report is work on every link's open that no one else reads. Once a
 * recorder is made, every report is marked, and the trace records it as the transport's.
 * (Its own file: marking, once on, stays on for the process's module instance.)
 */

import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { isTransportReport } from '../../src/runtime/transport-reports.js';
import { recordSession } from '../../src/trace/record-session.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('transport reports', () => {
  const h = useHarness();

  it('are marked only from the first trace recorder on', async () => {
    const server = await h.wsServer();
    const opens: object[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.event.type === 'transport.open') opens.push(event.event);
    };
    const supervisor = h.supervisor({ ...FAST, inspect });
    await supervisor.connect(server.url, { id: 'before' }).ready();
    expect(opens).toHaveLength(1);
    expect(isTransportReport(opens[0] as object)).toBe(false);

    const recorder = recordSession(supervisor);
    h.defer(() => recorder.stop());
    await supervisor.connect(server.url, { id: 'after' }).ready();
    expect(opens).toHaveLength(2);
    expect(isTransportReport(opens[1] as object)).toBe(true);
    const trace = recorder.stop();
    const opened = trace.records.find(
      (r) => r.kind === 'event' && r.actor === 'link:after' && r.event.type === 'transport.open',
    );
    expect(opened?.kind === 'event' && opened.source).toEqual({ kind: 'child', id: 'transport' });
  });
});
