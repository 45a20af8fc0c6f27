/**
 * `recordSession(supervisor)`: starts recording a session trace — every input of the socket and
 * of every link (commands, transport events, timer firings by delay name) and every transition,
 * as redacted records. `recorder.stop()` returns the trace (`formatTrace` gives JSON Lines);
 * `replayTrace` in linkvisor/testing replays it. Links that exist already are noted as existing.
 * A function, not a method, so an application that never records carries none of this code.
 */

import { RECORDING_HOST } from '../runtime/recording-host.js';
import type { Supervisor } from '../runtime/supervisor.js';
import { describe } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { TraceRecorder, type TraceRecorderOptions } from './trace-recorder.js';

/**
 * Starts recording a session trace of a supervisor: every input of the socket and of every link,
 * and every transition, redacted. `recorder.stop()` returns the trace; every record is kept in
 * memory until then.
 */
export function recordSession(supervisor: Supervisor, options: TraceRecorderOptions = {}): TraceRecorder {
  // By its recording host: a supervisor of another copy of linkvisor has its own symbol.
  if (typeof (supervisor as Partial<Supervisor> | null)?.[RECORDING_HOST] !== 'function') {
    throw optionError(
      'supervisor',
      `must be a Supervisor of this copy of linkvisor (createSupervisor()), got ${describe(supervisor)}`,
    );
  }
  // As connect(): a closed (or closing) supervisor takes nothing new; its recording would be empty.
  if (supervisor.closed) {
    throw new LinkvisorError('LV_ERR_SUPERVISOR_CLOSED', 'recordSession(): the supervisor is closed');
  }
  const host = supervisor[RECORDING_HOST]();
  const recorder = new TraceRecorder(host, reportingSinks(supervisor, options));
  const actors = host.actors();
  const subscription = supervisor.observe(recorder.observer);
  for (const actor of actors) recorder.addExisting(actor, actor !== actors[0]);
  recorder.whenStopped(() => subscription.unsubscribe());
  return recorder;
}

/**
 * `options` with each sink (`onHeader`, `onRecord`) called as a method of `options` (a class
 * instance's methods keep their `this`) and wrapped so that what it throws is reported on
 * the supervisor's `error` event (LV_ERR_LISTENER naming the sink), the first time only (a sink
 * that throws does so at every record), after the recorded step; the recording goes on and the
 * recorded actors never see it. Anything else is left to the recorder's check of its options.
 */
function reportingSinks(supervisor: Supervisor, options: TraceRecorderOptions): TraceRecorderOptions {
  if (typeof options !== 'object' || options === null) return options;
  const wrapped: Record<string, unknown> = { ...options };
  for (const name of ['onHeader', 'onRecord'] as const) {
    const sink = options[name] as ((value: unknown) => void) | undefined;
    if (typeof sink !== 'function') continue;
    let reported = false;
    wrapped[name] = (value: unknown) => {
      try {
        sink.call(options, value);
      } catch (error) {
        if (reported) return;
        reported = true;
        const failure = new LinkvisorError(
          'LV_ERR_LISTENER',
          `recordSession(): the ${name} sink threw (reported once; the recording goes on)`,
          { option: name, cause: error },
        );
        queueMicrotask(() => supervisor.reportError(failure));
      }
    };
  }
  return wrapped as TraceRecorderOptions;
}
