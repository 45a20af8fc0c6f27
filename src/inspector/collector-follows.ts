/**
 * Whether a collector given to `startInspector(supervisor, { inspector })` follows that supervisor:
 * one whose `inspect` went to another `createSupervisor` would show that one's socket and links as
 * this supervisor's (and its commands act on this one), so it is refused.
 */
import type { AnyActorRef } from 'xstate';
import { RECORDING_HOST, type RecordingHost } from '../runtime/recording-host.js';
import type { Supervisor } from '../runtime/supervisor.js';
import { optionError } from '../util/errors.js';
import type { Inspector } from './create-inspector.js';

/** The supervisor's socket actor (its recording host's first actor), or undefined for an object
 * that only looks like a supervisor. */
function socketOf(supervisor: Supervisor): AnyActorRef | undefined {
  const host = (supervisor as { [RECORDING_HOST]?: () => RecordingHost })[RECORDING_HOST];
  return typeof host === 'function' ? host.call(supervisor).actors()[0] : undefined;
}

/** Throws LV_ERR_INVALID_OPTION naming `inspector` if the collector has seen a socket actor that
 * is not this supervisor's: live and another, or ended while this one's is active. */
export function checkCollectorFollows(inspector: Inspector, supervisor: Supervisor): void {
  const ours = socketOf(supervisor);
  if (ours === undefined) return;
  const oursActive = (ours.getSnapshot() as { status?: string }).status === 'active';
  for (const row of inspector.rows()) {
    if (row.machine !== 'socket') continue;
    const ref = inspector.actorRef(row.id);
    if (ref ? ref !== ours : oursActive) {
      throw optionError(
        'inspector',
        "follows another supervisor (its inspect was given to another createSupervisor()): give this supervisor's collector, or none",
      );
    }
  }
}
