/**
 * What the socket chart's generated paths (socket.model.test.ts, socket-group-model.ts) read of a
 * real supervisor: its socket actor's snapshot, and a timer of the test clock that must be pending.
 */
import type { SnapshotFrom } from 'xstate';
import type { socketMachine } from '../../machines/socket.machine.js';
import type { Supervisor } from '../../src/index.js';
import type { TestClock } from '../../src/testing/index.js';

export type SocketSnapshot = SnapshotFrom<typeof socketMachine>;

/** The supervisor's socket actor's snapshot (private to the supervisor; the model reads it). */
export function socketOf(supervisor: Supervisor): SocketSnapshot {
  return (supervisor as unknown as { socket: { getSnapshot(): SocketSnapshot } }).socket.getSnapshot();
}

/** Fires the pending timer of `delayMs` on the test clock, or fails naming `what`. */
export async function mustFire(clock: TestClock, delayMs: number, what: string): Promise<void> {
  if (!(await clock.fire(delayMs))) throw new Error(`no ${what}`);
}
