/**
 * The application's heartbeat hooks (`heartbeat.mode: 'app'`): `ping()` makes each ping's payload
 * and `isPong(data)` tells a pong among the messages. Both are application code, guarded: one that
 * throws, or a ping payload that cannot be sent, is reported on the link and never breaks its
 * actor. The attempt (./attempt.ts) sends the ping and measures the round trip.
 */
import { assertPayload, type Incoming, type Payload, type PayloadSite } from '../transports/payload.js';
import type { LinkvisorError } from '../util/errors.js';
import { THREW, userCall } from './guarded-call.js';
import type { LinkWire } from './link-wire.js';

/** Where an application ping's payload comes from, for the errors that name it. */
export const PING: PayloadSite = { call: 'heartbeat.ping()', option: 'heartbeat.ping' };

/** Whether `data` is a pong of the application's heartbeat (`heartbeat.mode: 'app'`), on every
 * path a message takes (read, held, handed over late): the application's matcher, a truthy answer
 * is a pong; one that throws is reported and means no. */
export function isAppPong(wire: LinkWire, data: Incoming): boolean {
  const isPong = wire.config.isPong;
  if (!isPong || wire.config.heartbeat.mode !== 'app') return false;
  const answer = userCall(wire, 'heartbeat.isPong', () => isPong(data));
  return answer !== THREW && Boolean(answer);
}

/** The application's ping payload to write, checked; null when `ping()` threw or returned what
 * cannot be sent (reported), or when the link's resumable session sent it: with `resume` the
 * peer's application is behind the session, which numbers each data frame it reads (a raw ping
 * would shift its numbers), so the ping is one of the session's data frames. */
export function appPing(wire: LinkWire, ping: () => unknown): Payload | null {
  const payload = userCall(wire, 'heartbeat.ping', () => ping());
  if (payload === THREW) return null;
  try {
    assertPayload(payload, PING);
  } catch (error) {
    wire.reportError(error as LinkvisorError);
    return null;
  }
  return wire.session ? wire.session.ping(payload) : payload;
}
