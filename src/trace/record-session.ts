/**
 * `recordSession(supervisor)`: starts recording a session trace — every input of the socket and
 * of every link (commands, transport events, timer firings by delay name) and every transition,
 * as redacted records. `recorder.stop()` returns the trace (`formatTrace` gives JSON Lines);
 * `replayTrace` in linkvisor/testing replays it. Links that exist already are noted as existing.
 * A function, not a method, so an application that never records carries none of this code.
 */

import { RECORDING_HOST } from '../runtime/recording-host.js';
import type { Supervisor } from '../runtime/supervisor.js';
import { TraceRecorder, type TraceRecorderOptions } from './trace-recorder.js';

/**
 * Starts recording a session trace of a supervisor: every input of the socket and of every link,
 * and every transition, redacted. `recorder.stop()` returns the trace; every record is kept in
 * memory until then.
 */
export function recordSession(supervisor: Supervisor, options: TraceRecorderOptions = {}): TraceRecorder {
  const host = supervisor[RECORDING_HOST]();
  const recorder = new TraceRecorder(host, options);
  const actors = host.actors();
  const subscription = supervisor.observe(recorder.observer);
  for (const actor of actors) recorder.addExisting(actor, actor !== actors[0]);
  recorder.whenStopped(() => subscription.unsubscribe());
  return recorder;
}
