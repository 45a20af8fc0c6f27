/**
 * What a session recorder needs of the supervisor it records, behind a symbol: the supervisor
 * implements it, `recordSession` (linkvisor/trace) calls it, and nothing of the recorder is
 * pulled into a bundle that never records.
 */
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../util/clock.js';
import type { Link } from './link.js';
import { hooksOf } from './link-hooks.js';
import type { LinkOptions } from './options.js';
import type { SocketActor } from './supervisor-socket.js';

/** The key of a supervisor's recording host. */
export const RECORDING_HOST: unique symbol = Symbol('linkvisor.recordingHost');

/** What a session recorder reads of the supervisor it records. */
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

/** The recording host of a supervisor: its clock, link defaults (with the socket chart's
 * `lingerMs`) and seed, and its live links (`links`) and socket actor as they are when asked. */
export function supervisorRecordingHost(
  clock: Clock,
  defaults: LinkOptions,
  seed: number | undefined,
  socket: SocketActor,
  links: ReadonlyMap<string, Link>,
): RecordingHost {
  return {
    clock,
    options: { ...defaults, lingerMs: socket.getSnapshot().context.lingerMs },
    seed,
    secretsOf: (id) => links.get(id)?.wire.secrets.list() ?? [],
    hooksOf: (id) => hooksOf(links.get(id)?.wire.config),
    actors: () =>
      [socket, ...[...links.values()].flatMap((l) => (l.attached ? [l.actor] : []))] as AnyActorRef[],
  };
}
