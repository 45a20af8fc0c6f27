/**
 * KNOWN DIVERGENCE, pinned (review of i41trace, "Pattern B"): two links connected in one job to a
 * refusing in-process server (memory network, `refuse({ error: 'ECONNREFUSED' })` or an HTTP 503).
 * Recorded, the first link's attempt fails inside the start slice, before the second link starts
 * (its link.unready is step 4, the second's link.ready step 6). Replayed, every link's server is
 * held (replay-session.ts addLink), so the first failure waits for its input record while the second
 * link starts: `replay diverged at step 4 (socket): expected link.unready …; actual: link.ready …`.
 * A close code (1013) or one link replays identical. The tests pin today's divergence exactly:
 * once addLinks replays such a failure inside the slice they fail; then expect `replay identical`.
 */
import { expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, replayTrace, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';

const KNOWN =
  /^replay diverged at step 4 \(socket\): expected link\.unready: open → open; actual: link\.ready: open → open/;

async function recordRefusedPair(how: { error: 'ECONNREFUSED' } | { status: number }) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  network.listen('mem://a').refuse(how);
  const supervisor = createSupervisor({ transport: network.transport, clock, seed: 1 });
  const recorder = recordSession(supervisor);
  supervisor.connect('mem://a', { id: 'l0' });
  supervisor.connect('mem://a', { id: 'l1' });
  await clock.advance(3000);
  const trace = recorder.stop();
  await supervisor.terminate();
  return trace;
}

it('two links refused in one job (ECONNREFUSED): the known divergence at step 4', async () => {
  const result = await replayTrace(await recordRefusedPair({ error: 'ECONNREFUSED' }));
  expect(result.message).toMatch(KNOWN);
});

it('two links refused in one job (HTTP 503): the known divergence at step 4', async () => {
  const result = await replayTrace(await recordRefusedPair({ status: 503 }));
  expect(result.message).toMatch(KNOWN);
});
