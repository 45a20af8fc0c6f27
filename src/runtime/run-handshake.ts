/**
 * The application handshake of an attempt (the `handshake` option): once the socket is open, the
 * user's function gets a session (`send`, `next`, the attempt number, an abort signal), the
 * socket's messages are held for it, and its end says `handshake.ok` or `handshake.failed`.
 * Reached only through the factory the supervisor and `defineLink` give the link template
 * (src/runtime/link-features.ts): the drop-in class, which has no handshake, leaves it out.
 */
import { assertPayload, type Incoming, type PayloadSite, unwritable } from '../transports/payload.js';
import type { TransportConnection } from '../transports/transport.js';
import { LinkvisorError } from '../util/errors.js';
import { describeThrown, isFatal } from '../util/thrown.js';
import type { Attempt } from './attempt.js';
import { HeldMessages } from './held-messages.js';
import type { HandshakeSession, LinkOptions } from './options.js';

/** Runs the handshake on an attempt's open socket (what the wire config holds). */
export type HandshakeRunner = (attempt: Attempt, connection: TransportConnection) => void;

/** The runner for the user's handshake function (one per link template, shared by its links). */
export function handshakeRunner(handshake: NonNullable<LinkOptions['handshake']>): HandshakeRunner {
  return (attempt, connection) => run(handshake, attempt, connection);
}

const HANDSHAKE_SEND: PayloadSite = { call: 'handshake session.send(data)', option: 'handshake' };

function run(
  handshake: NonNullable<LinkOptions['handshake']>,
  attempt: Attempt,
  connection: TransportConnection,
): void {
  // The handshake is the application's code: its text may quote any link's secret.
  const redact = attempt.wire.redactUser;
  attempt.held = new HeldMessages(attempt);
  /** The handshake's waiting `next()` calls. */
  let waiters: { resolve: (data: Incoming) => void; reject: (error: unknown) => void }[] = [];
  /** The handshake function settled: its session reads nothing more (the rest is the application's). */
  let over = false;
  const reader: NonNullable<Attempt['reader']> = {
    offer: (data) => {
      const waiter = waiters.shift();
      waiter?.resolve(data);
      return waiter !== undefined;
    },
    abort: (message) => {
      if (waiters.length === 0) return;
      const pending = waiters;
      waiters = [];
      const error = new LinkvisorError('LV_ERR_ABORTED', message);
      for (const waiter of pending) waiter.reject(error);
    },
  };
  attempt.reader = reader;
  const session: HandshakeSession = {
    send: (data) => {
      assertPayload(data, HANDSHAKE_SEND);
      let written: boolean;
      try {
        written = connection.send(data);
      } catch (error) {
        throw unwritable(error, HANDSHAKE_SEND, redact);
      }
      if (!written) {
        throw new LinkvisorError('LV_ERR_LINK_CLOSED', 'handshake send(): the socket is not open');
      }
    },
    next: () => {
      const inbox = attempt.held;
      if (over || attempt.disposed || !inbox) {
        return Promise.reject(new LinkvisorError('LV_ERR_ABORTED', 'the handshake is over'));
      }
      const data = inbox.take();
      if (data !== undefined) return Promise.resolve(data);
      return new Promise<Incoming>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    attempt: attempt.attempt,
    signal: attempt.signal,
  };
  // A next() the function left waiting (or calls later) never takes the application's messages.
  const end = () => {
    over = true;
    reader.abort('the handshake is over');
  };
  Promise.resolve()
    .then(() => handshake(session))
    .then(
      () => {
        end();
        attempt.report({ type: 'handshake.ok' });
      },
      (error: unknown) => {
        end();
        // Whatever was thrown (a symbol, an object whose getters throw) fails this attempt only.
        attempt.report({
          type: 'handshake.failed',
          reason: {
            kind: 'handshake',
            message: `handshake failed: ${redact(describeThrown(error))}`,
            ...(isFatal(error) ? { fatal: true } : {}),
          },
        });
      },
    );
}
