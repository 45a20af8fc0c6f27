/**
 * A recorded session on the memory network and the simulated clock, for the trace tests: one
 * server at `mem://feed`, a supervisor recording from the start, and `finish()` that stops the
 * recording, ends the supervisor and returns the trace.
 */
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import type { Trace, TraceSource } from '../../src/trace/trace-format.js';

export const FEED_URL = 'mem://feed';

export function startMemorySession({ seed, startMs = 0 }: { seed: number; startMs?: number }) {
  const clock = new TestClock(startMs);
  const network = createMemoryNetwork({ clock, inProcess: false });
  const server = network.listen(FEED_URL);
  const supervisor = createSupervisor({ transport: network.transport, clock, seed });
  const recorder = recordSession(supervisor);
  const finish = async (): Promise<Trace> => {
    const trace = recorder.stop();
    await supervisor.terminate();
    return trace;
  };
  return { clock, server, supervisor, recorder, finish };
}

/** Records the feed link's heartbeat stall on the memory transport (seed 3): ready, then the
 * server stops answering pings, so the link loses its socket (docs/replay.md's sample session). */
export async function recordFeedStall(): Promise<Trace> {
  const { clock, server, supervisor, finish } = startMemorySession({ seed: 3 });
  supervisor.connect(FEED_URL, {
    id: 'feed',
    heartbeat: { intervalMs: 1_000, timeoutMs: 300, maxMissed: 2 },
  });
  await clock.advance(2_500);
  server.stopPongs();
  await clock.advance(4_000);
  return finish();
}

/** A trace header for hand-written traces. */
export const TRACE_HEADER: Trace['header'] = {
  kind: 'header',
  format: 'linkvisor-trace',
  version: 1,
  linkvisor: '0.1.0',
  startedAt: '2026-12-01T00:00:00.000Z',
  clockStartMs: 0,
  seed: null,
  options: {},
};

/** Makes the first event of `actor` from a `source` kind a command of `type` instead (a hostile
 * trace); returns its index. */
export function commandInstead(
  trace: Trace,
  actor: string,
  source: TraceSource['kind'],
  type: string,
): number {
  const index = trace.records.findIndex(
    (r) => r.kind === 'event' && r.actor === actor && r.source.kind === source,
  );
  const record = trace.records[index];
  if (record?.kind !== 'event') throw new Error(`no ${source} step of ${actor}`);
  record.source = { kind: 'command' };
  record.event = { type };
  return index;
}
