/**
 * How a link of the supervisor, defineLink or the testing entry connects its attempt: any
 * transport, custom ones included, which may detach, spread or keep its handlers; what a custom
 * one gives them against the contract (a `closed()` with no Reason, `open()` with no info, `pong()`
 * with no round trip) is normalised and reported as LV_ERR_TRANSPORT, never thrown back or kept. A link feature
 * (src/runtime/link-features.ts): the drop-in connects only through its recording transport over a
 * built-in one, which call their handlers as methods (./transport.ts's connectMethods), so its
 * bundle leaves this file out (test/size/bundle-size.test.ts).
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Attempt } from '../runtime/attempt.js';
import { LinkvisorError } from '../util/errors.js';
import {
  type ConnectWith,
  type TransportContext,
  type TransportHandlers,
  takesMethodHandlers,
} from './transport.js';

/** What each link (its wire) was told of its transport's misbehaviour, once each message: a
 * transport that misbehaves (`ws.on('pong', handlers.pong)`, a Buffer; `open()` with nothing) does
 * so on every connection, and a report per reconnect would flood the link's `error` event. */
const told = new WeakMap<object, Set<string>>();

/**
 * Connects with `attempt` as the handlers and `context` (by default the attempt too): the objects
 * themselves for a transport that calls its handlers as methods (callsHandlersAsMethods),
 * otherwise four functions and a plain object, which a custom transport may detach, spread or keep.
 */
export const connectWith: ConnectWith = (
  transport,
  target,
  attempt,
  context = attempt as TransportHandlers & TransportContext,
) => {
  if (takesMethodHandlers(transport)) return transport.connect(target, attempt, context);
  return transport.connect(
    target,
    {
      open: (info) => attempt.open(info ?? noInfo(attempt as Attempt)),
      message: (data) => attempt.message(data),
      // A stale ping's round trip (ms) is a finite number ≥ 0; anything else ('x', NaN, -5, null)
      // was status().rttMs: taken as pong() (a transport that cannot tell its pongs apart), told
      // once per link (see told).
      pong: (ms) => {
        if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
          misbehaved(attempt as Attempt, 'pong', 'staleRoundTripMs');
          ms = undefined;
        }
        attempt.pong(ms);
      },
      closed: (reason) => attempt.closed(checkReason(reason, attempt as Attempt)),
      error: () => attempt.error?.(),
    },
    {
      clock: context.clock,
      connectTimeoutMs: context.connectTimeoutMs,
      maxPayloadBytes: context.maxPayloadBytes,
      redact: context.redact,
    },
  );
};

/** Reason kinds only the library reports (its own close, an exhausted schedule, restart
 * intensity, a group restart, an unusable user function): from a transport, they would end or
 * fail the link, or restart it at once, as the library's own do. */
const LIBRARY_KINDS = /^(?:user|gave-up|intensity|group|invalid)$/;

/**
 * The reason a custom transport gave `closed()`, if it is one: an object with a string `message`
 * and a string `kind` (two typeofs; a kind of its own is taken, as its other fields are: a retry).
 * Otherwise its misbehaviour is reported as the link's `error` (LV_ERR_TRANSPORT naming the
 * field) and the attempt ends as after a network error: the link retries, never throws or hangs.
 * A kind of the library's own (LIBRARY_KINDS) is reported so too (naming the kind), and taken as
 * a network error that keeps the transport's message and close `code` (a number; any other is dropped).
 */
function checkReason(reason: Reason, attempt: Attempt): Reason {
  if (typeof reason?.message === 'string' && typeof reason.kind === 'string') {
    if (!LIBRARY_KINDS.test(reason.kind)) return reason;
    const { kind, code, message } = reason;
    misbehaved(attempt, 'closed', `kind ('${kind}' is the library's own)`);
    // A close code is a number: anything else (a string could quote a token) is not kept.
    return {
      kind: 'error',
      errorCode: 'LV_ERR_TRANSPORT',
      code: typeof code === 'number' ? code : undefined,
      message,
    };
  }
  const field =
    typeof reason !== 'object' || !reason
      ? 'reason'
      : typeof reason.message !== 'string'
        ? 'message'
        : 'kind';
  return { kind: 'error', errorCode: 'LV_ERR_TRANSPORT', message: misbehaved(attempt, 'closed', field) };
}

/** What `open()` gives the attempt when a custom transport gave it nothing (null, undefined),
 * which it reports: the socket is open all the same. */
function noInfo(attempt: Attempt): { protocol: string; extensions: string } {
  misbehaved(attempt, 'open', 'info');
  return { protocol: '', extensions: '' };
}

/** Reports a custom transport's handler call without a valid `field` as the link's LV_ERR_TRANSPORT,
 * once per link (see told; an attempt already ended stays silent and uses up nothing); returns the
 * message (a closed() reason's, every time). */
function misbehaved(attempt: Attempt, handler: string, field: string): string {
  const message = `the transport's ${handler}() was given no valid ${field}`;
  const wire = attempt.wire;
  const seen = told.get(wire) ?? new Set<string>();
  told.set(wire, seen);
  if (!attempt.disposed && !seen.has(message)) {
    seen.add(message);
    wire.reportError(new LinkvisorError('LV_ERR_TRANSPORT', message));
  }
  return message;
}
