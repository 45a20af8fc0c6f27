/**
 * Records a supervisor's session on the memory network and a TestClock (what `replayTrace` replays):
 * `drive` runs the application's calls, then the clock runs 3 s more and the supervisor ends.
 */
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, type MemoryNetwork, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import type { Trace } from '../../src/trace/trace-format.js';

/** What a recorded scenario drives: the supervisor, its network and its clock. */
export interface Session {
  supervisor: Supervisor;
  network: MemoryNetwork;
  clock: TestClock;
}

/** The trace of `drive` on a memory network (`inProcess` as the network's, default true). */
export async function recordInMemory(
  drive: (session: Session) => void | Promise<void>,
  inProcess = true,
): Promise<Trace> {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  const supervisor = createSupervisor({ transport: network.transport, clock, seed: 1 });
  const recorder = recordSession(supervisor);
  await drive({ supervisor, network, clock });
  await clock.advance(3000);
  const trace = recorder.stop();
  await supervisor.terminate();
  return trace;
}
