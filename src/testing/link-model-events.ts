/**
 * The model's vocabulary over the connection chart: every event the environment and the
 * application can cause in a snapshot (linkModelEvents), the key that makes shortest paths cover
 * transitions and not only states (linkModelKey), and readable names for path descriptions
 * (describeEvent). Pure: nothing here touches the runtime.
 */
import type { SnapshotFrom } from 'xstate';
import type { ConnectionEvent, connectionMachine } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { type LinkModelConfig, type MODEL_DELAYS_MS, resolved } from './link-model-options.js';

/** A snapshot of the connection chart (what a model step's check sees of the link). */
export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

const RETRYABLE: Reason = { kind: 'close', code: 1006, message: 'connection reset' };
const FATAL: Reason = { kind: 'close', code: 1008, message: 'policy violation' };
const CLEAN: Reason = { kind: 'close', code: 1000, message: 'normal closure' };
/** Credentials rejected (verdict `refresh`): offered to links with a per-attempt function. */
const AUTH: Reason = { kind: 'close', code: 3000, message: 'unauthorized' };
/** The code of the link's own close in the model (a close naming its code). */
const OWN_CLOSE_CODE = 4001;

function afterEvent(delay: keyof typeof MODEL_DELAYS_MS, stateId: string): ConnectionEvent {
  return { type: `xstate.after.${delay}.${stateId}` } as unknown as ConnectionEvent;
}

/** Every event the environment and the application can cause, for a snapshot. */
export function linkModelEvents(config: LinkModelConfig = {}) {
  const { catalog, offers } = linkModelCatalog(config);
  return (snapshot: ConnectionSnapshot): ConnectionEvent[] =>
    catalog.filter((event) => offers(snapshot, event));
}

/** Every event the model knows for a configuration (`catalog`), and whether it offers one of them
 * in a snapshot (`offers`: linkModelEvents lists the catalog's events it offers). */
export function linkModelCatalog(config: LinkModelConfig = {}) {
  const c = resolved(config);
  const environment: ConnectionEvent[] = [
    { type: 'transport.open' },
    ...(c.perAttempt ? [{ type: 'transport.opening' } as const] : []),
    { type: 'transport.closed', reason: RETRYABLE },
    { type: 'transport.closed', reason: FATAL },
    { type: 'transport.closed', reason: CLEAN },
    // A closing link's queue has drained: it writes its close frame.
    { type: 'transport.drained' },
    // The socket fires error and never close (a non-conforming polyfill): the error-close timer.
    { type: 'transport.error' },
    ...(c.perAttempt ? [{ type: 'transport.closed', reason: AUTH } as const] : []),
    { type: 'handshake.ok' },
    { type: 'handshake.failed', reason: { kind: 'handshake', message: 'refused' } },
    { type: 'handshake.failed', reason: { kind: 'handshake', message: 'refused', fatal: true } },
    { type: 'heartbeat.pong', rttMs: 0, proof: 'pong' },
    { type: 'heartbeat.pong', rttMs: null, proof: 'activity' },
    ...(c.perAttempt ? [afterEvent('resolveTimeout', 'connection.attempt.resolving')] : []),
    afterEvent('connectTimeout', 'connection.attempt.connecting'),
    afterEvent('ioTurn', 'connection.attempt.connectGrace'),
    afterEvent('handshakeTimeout', 'connection.attempt.handshaking'),
    afterEvent('ioTurn', 'connection.attempt.handshakeGrace'),
    afterEvent('closeTimeout', 'connection.attempt.closing'),
    afterEvent('stableAfter', 'connection.attempt.ready.settling'),
    afterEvent('stableAfter', 'connection.attempt.ready.unmonitored'),
    afterEvent('heartbeatRest', 'connection.attempt.ready.settled'),
    afterEvent('heartbeatInterval', 'connection.attempt.ready.beating'),
    afterEvent('heartbeatTimeout', 'connection.attempt.ready.awaitingPong'),
    afterEvent('ioTurn', 'connection.attempt.ready.graceTurn'),
    afterEvent('heartbeatInterval', 'connection.attempt.ready.paused'),
    afterEvent('reconnectDelay', 'connection.reconnecting'),
    ...(c.resume
      ? [
          { type: 'resume.done', outcome: 'new' } as const,
          { type: 'resume.failed', reason: { kind: 'handshake', message: 'broke the protocol' } } as const,
          {
            type: 'resume.failed',
            reason: { kind: 'handshake', message: 'does not speak it', fatal: true },
          } as const,
          afterEvent('resumeTimeout', 'connection.attempt.resuming'),
          afterEvent('ioTurn', 'connection.attempt.resumeGrace'),
          // The peer sends a message: an ack window opens (the driver also runs its ack timer).
          { type: 'resume.unacked' } as const,
        ]
      : []),
    afterEvent('coolDown', 'connection.coolingDown'),
    afterEvent('rejoinDelay', 'connection.rejoining'),
  ];
  const commands: ConnectionEvent[] = [
    { type: 'link.connect' },
    { type: 'link.close' },
    // The link's own close, naming its code (Link.close always does; its supervisor's does not).
    { type: 'link.close', code: OWN_CLOSE_CODE, reason: 'own' },
    { type: 'link.reconnect' },
    // The socket chart restarts this link with its group (a sibling was lost).
    { type: 'link.restart', group: 'g', cause: 'link:g/0' },
    { type: 'reconnect.disable' },
    { type: 'reconnect.enable' },
    { type: 'network.online' },
    { type: 'heartbeat.overdue' },
    // The application holds reading paused (backpressure), then reads again.
    { type: 'link.pause' },
    { type: 'link.resume' },
  ];
  const catalog = c.commands ? [...environment, ...commands] : environment;
  const offers = (snapshot: ConnectionSnapshot, event: ConnectionEvent): boolean => {
    // A final link is over: the runtime actor has stopped and hears nothing.
    if (snapshot.status === 'done') return false;
    // In closing, close and reconnect requests are swallowed on purpose (an empty transition,
    // which `can()` reports as not enabled): offer them, the runtime must ignore them too.
    const swallowed =
      snapshot.matches({ attempt: 'closing' }) &&
      (event.type === 'link.close' || event.type === 'link.reconnect');
    if (!swallowed && !snapshot.can(event)) return false;
    const closing = snapshot.matches({ attempt: 'closing' });
    // A link paused outside ready is explored on its way to its next socket's ready only (the
    // socket opening, the handshake or resume done, the retry's wait, the connect timeout's grace
    // turn, and resume): the hold is one flag, and the rest of the graph again under it (failures,
    // switches) would double the paths without a transition of its own.
    if (
      snapshot.context.readingPaused &&
      !snapshot.matches({ attempt: 'ready' }) &&
      !PAUSED_EXPLORES.test(event.type)
    )
      return false;
    // A close naming its code differs from a plain one only in closing (elsewhere: the same edge).
    if (event.type === 'link.close' && event.code !== undefined && !closing) return false;
    const connecting =
      snapshot.matches({ attempt: 'connecting' }) || snapshot.matches({ attempt: 'connectGrace' });
    if (event.type === 'transport.closed') {
      // Closing completes with the server's echo of the close frame (written once the queue
      // drained), whatever its code: one variant is enough.
      if (closing)
        return event.reason === RETRYABLE && snapshot.matches({ attempt: { closing: 'closeSent' } });
      // The per-attempt function rejects (LV_ERR_RESOLVE, retryable): one variant.
      if (snapshot.matches({ attempt: 'resolving' })) return event.reason === RETRYABLE;
      // A connection attempt is refused (error or HTTP status); it never closes cleanly.
      if (connecting) return event.reason !== CLEAN;
    }
    // The runtime notices suspended timers on a send, and holds sends after an overdue check
    // until a pong: while a ping to a peer that answers is out, an overdue may be unnoticeable.
    if (event.type === 'heartbeat.overdue' && snapshot.context.pingOutstanding && snapshot.context.pongSeen)
      return false;
    const paused = snapshot.matches({ attempt: { ready: 'paused' } });
    // A message from the peer in a ready session; while a ping is out it would also answer it
    // (heartbeat.pong with activity, its own event); while reading is paused it is not read.
    if (event.type === 'resume.unacked' || event.type === 'transport.error')
      return snapshot.matches({ attempt: 'ready' }) && !snapshot.context.pingOutstanding && !paused;
    // The application's hold on reading is the link's (the chart's readingPaused): pausing a paused
    // link changes nothing, and a closing link is not paused (Link.pause() refuses). Outside ready,
    // paused where it matters: before the first socket (idle) and between sockets (the first
    // reconnecting wait).
    if (event.type === 'link.pause')
      return (
        !snapshot.context.readingPaused &&
        (snapshot.matches({ attempt: 'ready' }) ||
          snapshot.matches('idle') ||
          (snapshot.matches('reconnecting') && snapshot.context.retry.attempt <= 1))
      );
    // Reconnect switch: only where it changes something (no idle self-loops to explore).
    if (event.type === 'reconnect.disable') return snapshot.context.reconnectEnabled;
    if (event.type === 'reconnect.enable') return !snapshot.context.reconnectEnabled;
    // The network coming back matters to a link waiting for a retry (elsewhere it only turns
    // the switch on, which reconnect.enable covers).
    if (event.type === 'network.online')
      return (
        snapshot.matches('reconnecting') ||
        snapshot.matches('suspended') ||
        !snapshot.context.reconnectEnabled
      );
    return true;
  };
  return { catalog, offers };
}

/** The events a link paused outside ready is offered (see `offers`). */
const PAUSED_EXPLORES =
  /^(transport\.open(ing)?|handshake\.ok|resume\.done|xstate\.after\.(reconnectDelay|connectTimeout)\..*|link\.(resume|connect))$/;

export function reasonClass(reason: Reason | undefined): string {
  if (!reason) return '';
  if (reason === FATAL || reason.fatal) return 'fatal';
  if (reason === AUTH) return 'auth';
  if (reason === CLEAN) return 'clean';
  return 'retryable';
}

/** The model's key of a snapshot: the state, the context that guards read, and the incoming edge
 * (source state and event), so shortest paths cover transitions, self-loops included, not only
 * states. */
export function linkModelKey(
  snapshot: ConnectionSnapshot,
  event: ConnectionEvent | undefined,
  previous?: ConnectionSnapshot,
): string {
  if (!isRecord(snapshot) || !isRecord(snapshot.context))
    throw optionError('snapshot', `must be a connection chart's snapshot, got ${describe(snapshot)}`);
  const c = snapshot.context;
  const edge = event
    ? `${event.type}:${reasonClass((event as { reason?: Reason }).reason)}${'proof' in event ? event.proof : ''}${'code' in event ? event.code : ''}`
    : 'init';
  return JSON.stringify([
    snapshot.value,
    Math.min(c.retry.attempt, c.policy.backoff.maxAttempts),
    c.pongSeen,
    c.missedPongs,
    c.reconnectEnabled,
    c.stable,
    c.pingOutstanding,
    // The application holds reading paused (the link's, across its sockets).
    c.readingPaused === true,
    // Restart intensity: restarts in the window (bounded by maxRestarts + 1), whether the link
    // escalated before (the cool-down grows), whether it is sick.
    c.intensity?.restarts.length ?? 0,
    Math.min(c.intensity?.escalations ?? 0, 1),
    c.intensity?.sick ?? false,
    // A credentials rejection's fresh attempt since the link was last stable or a retry waited: a
    // second rejection before either is fatal.
    c.retry.refreshed === true,
    // The edge: where it came from and by which event, so every transition (self-loops and
    // edges into an already-known state included) gets a node of its own.
    previous?.value ?? null,
    edge,
  ]);
}

/** Short names for path descriptions. */
export function describeEvent(event: ConnectionEvent): string {
  if (!isRecord(event) || typeof event.type !== 'string')
    throw optionError('event', `must be an event ({ type }), got ${describe(event)}`);
  if (event.type.startsWith('xstate.after.')) return `after ${event.type.split('.')[2]}`;
  if (event.type === 'link.close' && event.code !== undefined) return `link.close(${event.code})`;
  const reason = (event as { reason?: Reason }).reason;
  if (reason) return `${event.type}(${reasonClass(reason)})`;
  if (event.type === 'heartbeat.pong') return `heartbeat.pong(${event.proof})`;
  return event.type;
}
