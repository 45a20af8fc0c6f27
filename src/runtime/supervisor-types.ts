/**
 * The public shapes of a supervisor: the options of `createSupervisor` and `connectGroup`, the
 * network signals, `status()` and the events. The class that implements them is supervisor.ts.
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { GroupStrategy } from '../../machines/policy/group.js';
import type { Transport } from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
import type { EventName } from '../util/emitter.js';
import type { LinkvisorError } from '../util/errors.js';
import type { Link } from './link.js';
import type { LinkStatus } from './link-status.js';
import type { LinkOptions } from './options.js';
import type { WatcherStatus } from './watcher.js';

/**
 * Options of `createSupervisor`: defaults for every link, plus how sockets are opened, the clock,
 * the inspection observer, the jitter seed and the linger of `close()`.
 */
export interface SupervisorOptions extends Omit<LinkOptions, 'id' | 'seed'> {
  /** How sockets are opened. Default: `ws` (Node). Tests: a memory network's transport. */
  transport?: Transport;
  /** Timers and time: every delayed transition goes through it. Default: the system clock. */
  clock?: Clock;
  /** XState inspection observer, for every actor (e.g. @statelyai/inspect's `inspect`). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Base seed of the jitter of every link (link n gets seed + n): reproducible schedules. */
  seed?: number;
  /** How long `close()` waits for every link to drain and close before ending it, in ms. Default
   * 5 000 (`LINGER_DEFAULT_MS`, machines/policy/timeouts.ts). */
  lingerMs?: number;
  /** Raise network signals by themselves (default true): a heartbeat that sees time jump (the
   * machine slept) raises `wake`, and the browser build wires the page's online/offline,
   * visibility and freeze/resume events. false: only your own `signal()` calls. */
  networkSignals?: boolean;
  /** The supervisor (or a group) is `degraded` while more than this share of its live links are
   * escalated by their restart intensity; in [0, 1). Default 0.5 (machines/policy/intensity.ts). */
  degradedShare?: number;
}

/** Options of `connectGroup`: the group's id and strategy, and options for each of its links. */
export interface GroupOptions extends LinkOptions {
  /** Required; links are `<id>/0`, `<id>/1`… in the order of the URLs. */
  id: string;
  /** What happens when a ready member is lost (machines/policy/group.ts): `one-for-one`
   * (default), `one-for-all`, `rest-for-one`. */
  strategy?: GroupStrategy;
}

/** What `supervisor.signal()` tells the links. */
export type NetworkSignal = 'offline' | 'online' | 'wake';

/** `supervisor.status()`: plain JSON for dashboards and health checks. */
export interface SupervisorStatus {
  closed: boolean;
  /** At least one link is ready. */
  up: boolean;
  /** More than `degradedShare` of the live links are escalated (restart intensity). */
  degraded: boolean;
  reconnectEnabled: boolean;
  /** What the last network signal said (true until `signal('offline')`). */
  online: boolean;
  links: LinkStatus[];
  /** Each group of endpoints (connectGroup): its strategy, whether it is up and degraded. */
  groups: { id: string; strategy: GroupStrategy; up: boolean; degraded: boolean }[];
  watchers: WatcherStatus[];
}

/** The events of a `Supervisor`, by name, with what each listener receives. */
export interface SupervisorEvents {
  [key: string]: unknown;
  /** The first link became ready (from none ready). */
  up: undefined;
  /** The last ready link went down (while not closing). */
  down: undefined;
  /** More than `degradedShare` of the live links escalated (restart intensity): the service is
   * sick, not one link. */
  degraded: undefined;
  /** The share of escalated links is back at or under `degradedShare` (links stable again, or gone). */
  recovered: undefined;
  /** A link was created (connect(), connectGroup()), before it starts: listeners attached here
   * see its whole life (metrics, logs). */
  link: Link;
  /** Everything has ended after close() or terminate(): every link, watcher and timer. Emitted
   * once, before the promise of close() resolves; the last event of a supervisor. Attachments
   * (linkvisor/otel) detach themselves here. */
  closed: undefined;
  error: LinkvisorError;
}

/** The names of SupervisorEvents, for the emitter's check of `supervisor.on(event)`. */
export const SUPERVISOR_EVENTS: readonly string[] = Object.freeze([
  'up',
  'down',
  'degraded',
  'recovered',
  'link',
  'closed',
  'error',
] satisfies EventName<SupervisorEvents>[]);
