/**
 * What a session recorder needs of the supervisor it records, behind a symbol: the supervisor
 * implements it, `recordSession` (linkvisor/trace) calls it, and nothing of the recorder is
 * pulled into a bundle that never records.
 */
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../util/clock.js';

export const RECORDING_HOST: unique symbol = Symbol('linkvisor.recordingHost');

export interface RecordingHost {
  clock: Clock;
  /** The supervisor's link defaults (redacted by the recorder). */
  options: unknown;
  seed: number | undefined;
  /** Secrets a link knows of so far (static and per-attempt URL values, secret headers). */
  secretsOf(linkId: string): readonly string[];
  /** Names of the application hooks (functions) a link has, e.g. `shouldReconnect`. */
  hooksOf(linkId: string): string[];
  /** The socket actor and every link actor there now. */
  actors(): AnyActorRef[];
}
