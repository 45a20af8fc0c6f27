/**
 * How a link of the supervisor, defineLink or the testing entry connects its attempt: any
 * transport, custom ones included, which may detach, spread or keep its handlers. A link feature
 * (src/runtime/link-features.ts): the drop-in connects only through its recording transport over a
 * built-in one, which call their handlers as methods (./transport.ts's connectMethods), so its
 * bundle leaves this file out (test/size/bundle-size.test.ts).
 */
import {
  type ConnectWith,
  type TransportContext,
  type TransportHandlers,
  takesMethodHandlers,
} from './transport.js';

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
      open: (info) => attempt.open(info),
      message: (data) => attempt.message(data),
      pong: (staleRoundTripMs) => attempt.pong(staleRoundTripMs),
      closed: (reason) => attempt.closed(reason),
    },
    {
      clock: context.clock,
      connectTimeoutMs: context.connectTimeoutMs,
      maxPayloadBytes: context.maxPayloadBytes,
      redact: context.redact,
    },
  );
};
