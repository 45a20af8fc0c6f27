/**
 * The connection chart's vocabulary: its input, context, the events it takes (commands from the
 * runtime or a parent, reports from its transport), what it emits to listeners and reports
 * to its parent. Types only; the chart is machines/connection.machine.ts.
 */
import type { AnyActorRef } from 'xstate';
import type { BackoffOptions, BackoffState } from './policy/backoff.js';
import type { Reason } from './policy/close-reason.js';
import type { HeartbeatOptions } from './policy/heartbeat.js';
import type { IntensityOptions, IntensityState } from './policy/intensity.js';
import type { NetworkOptions } from './policy/network.js';
import type { ResumeOptions } from './policy/resume.js';
import type { TimeoutOptions } from './policy/timeouts.js';

/**
 * What a link's connection chart is started with: its id, its policies and who its parent is
 * (`defineLink(...).input()` builds it).
 */
export interface ConnectionInput {
  /** Stable id of the link, e.g. `link:feed`. */
  linkId: string;
  /** What to show for the endpoint: a redacted URL, never a token. */
  label: string;
  /** An actor to report `link.*` events to (the socket chart, or an application machine). */
  parent?: AnyActorRef;
  /** The transport is in-process: no connecting or handshaking phase. */
  inProcess?: boolean;
  /** An application handshake runs after the socket opens. */
  hasHandshake?: boolean;
  backoff?: Partial<BackoffOptions>;
  timeouts?: Partial<TimeoutOptions>;
  heartbeat?: Partial<HeartbeatOptions>;
  /** Resumable session (docs/resume-protocol.md): a `resuming` phase between open and ready,
   * and the ack timer of the socket (`ackDelay`). Absent: off. */
  resume?: Partial<Pick<ResumeOptions, 'resumeTimeoutMs' | 'ackDelayMs'>>;
  /** The link has a per-attempt URL, header or protocol function (see `LinkPolicy.perAttempt`). */
  perAttempt?: boolean;
  /** How soon waiting links come back when the network does (machines/policy/network.ts). */
  network?: Partial<NetworkOptions>;
  /** Restart intensity (machines/policy/intensity.ts); `false` turns escalation off. */
  intensity?: Partial<IntensityOptions> | false;
  /** Seed of the PRNG that jitters the backoff. */
  seed?: number;
  /** Start connecting at once (default true); otherwise wait in `idle` for `link.connect`. */
  autoConnect?: boolean;
  /** Reconnecting is allowed (default true); a parent toggles it with `reconnect.*` events. */
  reconnectEnabled?: boolean;
  /** The reports (`link.<type>`) the parent handles: the link sends it no other. Absent: every
   * report (an application machine that spawns a link sees them all, docs/links.md). The socket
   * chart passes the ones its own transitions take (machines/socket.machine.ts, `peerInput`):
   * each report is a step of the parent, and a drop would cost it three. */
  reports?: readonly LinkReport['type'][];
  /** The policy of the parts above, resolved already (`resolvePolicy`, machines/connection-context.ts):
   * when given, `inProcess` to `reports` are not read. The supervisor starts its links with it, so
   * that each actor keeps an input of six fields for its whole life, not one of eleven. */
  policy?: LinkPolicy;
}

/**
 * The connection chart's context: plain, serialisable data (policies, retry state, heartbeat
 * counters, the last reason); no sockets, no functions.
 */
export interface ConnectionContext {
  linkId: string;
  label: string;
  parent: AnyActorRef | undefined;
  /** The parent allows reconnecting (off while the application is offline or shutting down). */
  reconnectEnabled: boolean;
  /** The policy numbers and the link's constant traits, resolved and frozen: one object shared by every link with the same. */
  policy: LinkPolicy;
  /** Position in the retry schedule and the PRNG state. */
  retry: BackoffState;
  /** Delay of the retry being waited for, in ms. */
  nextDelayMs: number | null;
  /** First reason of the current disconnect (cleared when an attempt starts). */
  reason: Reason | null;
  /** Last reason that was an error (kept across attempts, for status). */
  lastError: Reason | null;
  /** Why the link failed, once it has. */
  failure: Reason | null;
  /** Consecutive unanswered pings. */
  missedPongs: number;
  /** The peer has answered at least one ping (on any socket of this link). */
  pongSeen: boolean;
  /** Last heartbeat round trip, in ms. */
  rttMs: number | null;
  /** A ping is out and not yet answered (a late pong may still arrive after its timeout). */
  pingOutstanding: boolean;
  /** The link has been ready for stableAfterMs since it last became ready. */
  stable: boolean;
  /** Ready time still to wait before the link is stable, in ms, once quiet intervals have been
   * counted toward it (stableAfterMs longer than the heartbeat interval; machines/policy/heartbeat.ts).
   * Absent means all of stableAfterMs. The context never has more than 19 fields: a 20th puts
   * XState's copies of it in V8's dictionary mode (machines/connection-context.ts). */
  stableInMs?: number;
  /** Times the link became ready. */
  readyCount: number;
  /** The reason of the disconnect before the current attempt, until the link is ready again
   * (absent until there was one, like `stableInMs`): per-attempt functions see it as `lastReason`.
   * (Whether a credentials rejection is a second in a row is `retry.refreshed`, kept until the
   * link is stable or a retry waits, policy/backoff.ts.) */
  previousReason?: Reason;
  /** Restart history (machines/policy/intensity.ts). Absent until the first restart, like
   * `stableInMs` (16 fields always, 19 with all three). */
  intensity?: IntensityState;
  /** The application holds reading paused (`Link.pause` until `Link.resume`): the link's, not a
   * socket's, so a new socket enters ready paused. Absent until the first pause (most links never
   * pause): a 20th field only for a link that paused and has all three above. */
  readingPaused?: boolean;
  /** This attempt's socket fired `error`, so its error-close timer was armed (`armErrorClose`,
   * machines/connection-error-close.ts): leaving the attempt cancels that timer only then
   * (`errorCloseArmed`). Absent until a socket first errs; cleared when the next attempt starts. A
   * 20th field only for a link whose socket erred and has the other four optional fields. */
  socketErred?: boolean;
}

/** Events the transport reports to the link. */
export type TransportReport =
  /** The per-attempt functions settled and the transport is asked to open the resolved target:
   * the connect timeout starts (reported only by links with such a function, `perAttempt`). */
  | { type: 'transport.opening' }
  | { type: 'transport.open'; extensions?: string }
  | { type: 'transport.closed'; reason: Reason }
  /** The socket fired `error` (reported once an attempt): a `transport.closed` must follow within
   * errorCloseGrace (policy/timeouts.ts ERROR_CLOSE_GRACE_MS), or the chart raises one itself. */
  | { type: 'transport.error' }
  /** The drain is over and the close frame is written: its code is final. */
  | { type: 'transport.drained' }
  | { type: 'handshake.ok' }
  | { type: 'handshake.failed'; reason: Reason }
  | { type: 'heartbeat.pong'; rttMs: number | null; proof: 'pong' | 'activity' }
  | ResumeDone
  | { type: 'resume.failed'; reason: Reason }
  /** A message arrived and none before it waits for an ack (a new ack window opened): the ack
   * goes out after ackDelay unless the data path acknowledges by count first. */
  | { type: 'resume.unacked' };

/** The server answered the resume request: the session is new, resumed or reset. */
export type ResumeDone =
  | { type: 'resume.done'; outcome: 'new' }
  | { type: 'resume.done'; outcome: 'resumed'; replayedIn: number; replayedOut: number }
  | { type: 'resume.done'; outcome: 'reset'; reason: string };

/** Commands the link gives its transport (the chart's transport actions). */
export type TransportCommand =
  | { type: 'transport.flush' }
  | { type: 'transport.ping' }
  | { type: 'transport.handshake' }
  | { type: 'transport.resume' }
  /** The ack timer ran out: acknowledge everything received. */
  | { type: 'transport.ack' }
  | { type: 'transport.drain'; code: number; reason: string };

/** Commands from the runtime or a parent. */
export type LinkCommand =
  | { type: 'link.connect' }
  | { type: 'link.close'; code?: number; reason?: string }
  | { type: 'link.terminate' }
  | { type: 'link.reconnect' }
  /** Restart with its group (strategy one-for-all / rest-for-one): member `cause` was lost. Only a
   * ready link restarts; it reports the loss with reason kind `group` and attempts at once. */
  | { type: 'link.restart'; group: string; cause: string }
  | { type: 'heartbeat.overdue' }
  /** The application stopped reading (`Link.pause`, backpressure), in any state: no pong can be
   * read, so a ready link's heartbeat waits (ready.paused) until `link.resume`, on this socket and
   * the next ones. */
  | { type: 'link.pause' }
  /** Reading again (`Link.resume`): a fresh heartbeat window. */
  | { type: 'link.resume' }
  | { type: 'reconnect.disable' }
  | { type: 'reconnect.enable' }
  /** The network is back (`online`, `wake`): a waiting link attempts soon, skipping its backoff. */
  | { type: 'network.online' };

/**
 * Every event the connection chart accepts: commands (`link.*`, `reconnect.*`) and reports of its
 * transport actor (`transport.*`, `heartbeat.*`, `handshake.*`).
 */
export type ConnectionEvent = LinkCommand | TransportReport | AckDue;

/** Raised by the chart itself `ackDelay` after `resume.unacked` (its ack timer, see `armAck`). */
export type AckDue = { type: 'resume.ackDue' };

/** What an attempt's transport is opened with. `link` is the connection actor itself. */
export interface TransportInput {
  linkId: string;
  /** Retry number of this attempt (0 for the first connect after a stable period). */
  attempt: number;
  /** Why the previous attempt ended (null before the first disconnect). */
  lastReason: Reason | null;
  link: AnyActorRef;
  parent: AnyActorRef | undefined;
}

/** Events emitted to `actor.on(...)` listeners (the runtime relays them to `link.on`). */
export type ConnectionEmitted =
  | { type: 'ready'; linkId: string; readyCount: number }
  | { type: 'reconnecting'; linkId: string; attempt: number; delayMs: number; reason: Reason }
  | { type: 'lost'; linkId: string; reason: Reason }
  | {
      type: 'escalated';
      linkId: string;
      /** Consecutive escalations, this one included (the cool-down grows with it). */
      escalation: number;
      /** The cool-down before the next attempt, in ms. */
      delayMs: number;
      /** The last restart's reason. */
      reason: Reason;
    }
  | { type: 'failed'; linkId: string; reason: Reason }
  | { type: 'closed'; linkId: string; reason: Reason | null }
  | { type: 'resumed'; linkId: string; replayedIn: number; replayedOut: number }
  | { type: 'reset'; linkId: string; reason: string };

/** Events reported to `parent`: the emitted ones, prefixed `link.`, `link.unready` (left
 * ready for any reason), so a parent can count ready links exactly, and `link.sick` (escalated
 * by its restart intensity, from healthy) / `link.healed` (stable again, or ended), so it can
 * count sick links exactly (`link.escalated` comes with every escalation). */
export type LinkReport =
  | { type: 'link.unready'; linkId: string }
  | { type: 'link.sick'; linkId: string }
  | { type: 'link.healed'; linkId: string }
  | { type: 'link.escalated'; linkId: string; escalation: number; delayMs: number; reason: Reason }
  | { type: 'link.ready'; linkId: string; readyCount: number }
  | { type: 'link.reconnecting'; linkId: string; attempt: number; delayMs: number; reason: Reason }
  | { type: 'link.lost'; linkId: string; reason: Reason }
  | { type: 'link.failed'; linkId: string; reason: Reason }
  | { type: 'link.closed'; linkId: string; reason: Reason | null }
  | { type: 'link.resumed'; linkId: string; replayedIn: number; replayedOut: number }
  | { type: 'link.reset'; linkId: string; reason: string };

/** A link's policy numbers with the defaults filled in (machines/policy). */
export interface LinkPolicy {
  readonly backoff: Readonly<BackoffOptions>;
  readonly timeouts: Readonly<TimeoutOptions>;
  readonly heartbeat: Readonly<HeartbeatOptions>;
  /** The resume phase's and the ack timer's numbers, or null when the link does not resume. */
  readonly resume: Readonly<Pick<ResumeOptions, 'resumeTimeoutMs' | 'ackDelayMs'>> | null;
  /** The link has a per-attempt URL, header or protocol function: a credentials rejection gets
   * one fresh attempt at once (close verdict `refresh`). */
  readonly perAttempt: boolean;
  readonly network: Readonly<NetworkOptions>;
  /** Null: escalation is off (`intensity: false`). */
  readonly intensity: Readonly<IntensityOptions> | null;
  /** The transport is in-process: no connecting or handshaking phase. */
  readonly inProcess: boolean;
  /** An application handshake runs after the socket opens. */
  readonly hasHandshake: boolean;
  /** Start connecting at once; otherwise wait in `idle` for `link.connect`. */
  readonly autoConnect: boolean;
  /** The reports the parent handles (`ConnectionInput.reports`); null: every report. */
  readonly reports: readonly LinkReport['type'][] | null;
}
