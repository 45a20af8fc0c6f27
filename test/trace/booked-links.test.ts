/**
 * Starting a recording (recordSession, supervisor.observe) during a mass open does not start the
 * links still waiting for their turn: they start in the start queue's slices, as they would without
 * a recorder, and appear in the trace from their start (before, the recorder read every link's
 * actor, which starts a booked link and every one booked before it, in one synchronous run).
 */
import { describe, expect, it } from 'vitest';
import { recordSession } from '../../src/trace/record-session.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('recordSession: links booked by connect()', () => {
  const h = useHarness();

  it('are not started by the recorder, and are recorded from their start', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const links = Array.from({ length: 100 }, (_, i) => supervisor.connect(server.url, { id: `l${i}` }));
    const recorder = recordSession(supervisor);
    h.defer(() => recorder.stop());
    const seen: string[] = [];
    const subscription = supervisor.observe({ next: () => {} });
    subscription.unsubscribe();
    expect(links.filter((link) => link.attached)).toHaveLength(0);

    await Promise.all(links.map((link) => link.ready()));
    const trace = recorder.stop();
    for (const record of trace.records) {
      if (record.kind === 'actor' && record.machine === 'connection' && !record.existing)
        seen.push(record.actor);
    }
    expect(new Set(seen).size).toBe(links.length);
  });
});
