/**
 * The transport of the connection chart's `attempt` state: one socket, from resolving the
 * per-attempt URL and headers to terminating it when the chart leaves the state. The chart's
 * `openTransport` / `closeTransport` (entry and exit of `attempt`) and its commands (`flushQueue`,
 * `sendPing`, `startHandshake`, `drainAndClose`) are the actions below; the attempt (./attempt.ts)
 * reports `transport.*`, `handshake.*` and `heartbeat.pong` to the link as events.
 * Leaving `attempt` disposes it, and so does the link actor stopping (its exit actions do not run
 * then: the wire's attempt is ended by the link's facade or definition): a superseded socket can
 * never deliver an event to a newer attempt. A plain object per attempt, not an invoked actor:
 * an actor per attempt cost ~1.3 KB a link and a spawn and a stop per reconnect (BENCHMARKS.md).
 */
import type { AnyActorRef } from 'xstate';
import type {
  ConnectionContext,
  TransportCommand,
  TransportInput,
} from '../../machines/connection.machine.js';
import { Attempt } from './attempt.js';
import type { WireLookup } from './provide-runtime.js';
import { report } from './transport-reports.js';

interface ActionArgs {
  context: ConnectionContext;
  event: { type: string };
  self: AnyActorRef;
}

/**
 * The chart's transport actions, finding the wire of the link they serve. `onAttempt` sees every
 * attempt's input (the link actor ref included) before the wire is used.
 */
export function transportActions(wireOf: WireLookup, onAttempt: (input: TransportInput) => void) {
  const wireFor = ({ context, self }: ActionArgs) => wireOf(context.linkId, context.parent, self);
  return {
    openTransport: ({ context, self }: ActionArgs) => {
      const input = {
        linkId: context.linkId,
        attempt: context.retry.attempt,
        lastReason: context.previousReason ?? null,
        link: self,
        parent: context.parent,
      };
      onAttempt(input);
      const wire = wireOf(context.linkId, context.parent, self);
      // Only a defineLink machine's link meets this (its input from another definition, from a
      // link that ended, or one another live link runs): it fails at once, LV_ERR_NO_TRANSPORT, which docs/errors.md explains (a
      // longer message here would cost the drop-in's bundle, which never meets it).
      if (!wire) {
        report(self, {
          type: 'transport.closed',
          reason: {
            kind: 'invalid',
            errorCode: 'LV_ERR_NO_TRANSPORT',
            message: `no transport for ${context.linkId}`,
          },
        });
        return;
      }
      wire.endAttempt();
      const attempt = new Attempt(wire, input.attempt, self);
      wire.attempt = attempt;
      attempt.start(input.lastReason);
    },
    closeTransport: (args: ActionArgs) => {
      const wire = wireFor(args);
      // The wire's attempt is always one of ours (openTransport above sets it): it learns why it
      // ends, in links whose attempt signal says it (./attempt-abort.ts, a link feature).
      if (wire?.attempt) (wire.attempt as Attempt).endedBy = wire.config.abort?.endedBy(args);
      wire?.endAttempt();
    },
    flushQueue: (args: ActionArgs) => tell(wireOf, args, FLUSH),
    sendPing: (args: ActionArgs) => tell(wireOf, args, PING_COMMAND),
    sendProbe: (args: ActionArgs) => wireFor(args)?.reading?.probe(),
    drainAndClose: (args: ActionArgs, command: Extract<TransportCommand, { type: 'transport.drain' }>) =>
      tell(wireOf, args, command),
  };
}

/**
 * The commands of the chart's handshake and resume (`startHandshake`, `startResume`, `sendAck`):
 * provideRuntime's links only. The drop-in's chart never runs them (no handshake, no resume), so
 * its provider leaves them to the chart's no-op defaults and its bundle out (BENCHMARKS.md round 37
 * (size)).
 */
export function featureCommandActions(wireOf: WireLookup) {
  return {
    startHandshake: (args: ActionArgs) => tell(wireOf, args, HANDSHAKE),
    startResume: (args: ActionArgs) => tell(wireOf, args, RESUME),
    sendAck: (args: ActionArgs) => tell(wireOf, args, ACK),
  };
}

/** `command` to the attempt of the link the action runs in (found by `wireOf`), if it has one. */
function tell(wireOf: WireLookup, { context, self }: ActionArgs, command: TransportCommand): void {
  wireOf(context.linkId, context.parent, self)?.attempt?.command(command);
}

const FLUSH: TransportCommand = { type: 'transport.flush' };
const PING_COMMAND: TransportCommand = { type: 'transport.ping' };
const HANDSHAKE: TransportCommand = { type: 'transport.handshake' };
const RESUME: TransportCommand = { type: 'transport.resume' };
const ACK: TransportCommand = { type: 'transport.ack' };
