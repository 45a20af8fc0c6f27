/**
 * A recorded transport input (`child` source) replayed on a link's memory server
 * (./replay-session.ts): the held attempt accepted or failed, a held ping or close handshake
 * answered (a pong read while the link closed given to it), the replay's handshake settled, a
 * resume's welcome or its failure reported.
 */
import type { AnyActorRef } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import { encodeAck } from '../resume/frames.js';
import { report } from '../runtime/transport-reports.js';
import type { TraceEventRecord } from '../trace/trace-format.js';
import type { MemoryServer } from '../transports/memory-transport.js';
import { ACTIVITY, asRecord, PONG } from './replay-link-options.js';
import { type HeldResolve, resolveFailed, settleResolve } from './replay-resolve.js';
import { answerResume } from './replay-resume.js';

type Handshake = { resolve: () => void; reject: (error: unknown) => void };

/** A replayed link: its memory server and what its recorded input says of it. */
export interface ReplayLink {
  server: MemoryServer;
  heartbeatMode: string;
  /** The link resumes sessions: its activity is a control frame, never data (data would open an
   * ack window of the replay's own, a `resume.unacked` the recording does not have). */
  resumes: boolean;
  /** The running attempt's handshake (a link runs one attempt at a time; an older one is over). */
  handshake: Handshake | null;
  /** The running attempt's per-attempt URL, held until its recorded outcome (a link with
   * `perAttempt`: ./replay-resolve.ts); null when none is under way. */
  resolving: HeldResolve | null;
}

/** A pong (or a message) read while the link closed: a real socket reads until the echo of its
 * close frame, but the memory peer is gone from the moment the link sent it, so the recorded
 * report is given to the closing link as its transport's. Null when given, otherwise why not. */
function pongWhileClosing(
  record: TraceEventRecord,
  actorOf: (id: string) => AnyActorRef | undefined,
): string | null {
  const actor = actorOf(record.actor);
  const closing = actor?.getSnapshot().matches({ attempt: 'closing' }) === true;
  if (!actor || !closing) return 'no open connection to answer a ping';
  const { rttMs, proof } = record.event;
  report(actor, {
    type: 'heartbeat.pong',
    rttMs: typeof rttMs === 'number' ? rttMs : null,
    proof: proof === 'pong' ? 'pong' : 'activity',
  });
  return null;
}

/** Applies one recorded transport input to `link`: null when applied, otherwise why it could not be. */
export function replayTransportInput(
  link: ReplayLink,
  record: TraceEventRecord,
  actorOf: (id: string) => AnyActorRef | undefined,
): string | null {
  const { server } = link;
  const event = record.event;
  const peer = server.peers[server.peers.length - 1];
  switch (event.type) {
    case 'transport.opening':
      return settleResolve(link, record, null);
    case 'transport.open': {
      const pending = server.pending[0];
      if (!pending) return 'no connection attempt is pending';
      pending.accept();
      return null;
    }
    case 'transport.closed': {
      const reason = asRecord(event.reason) as unknown as Reason;
      // An attempt whose per-attempt function threw, rejected or gave a bad value, as recorded.
      if (link.resolving || resolveFailed(reason)) return settleResolve(link, record, reason);
      if (server.heldCloses > 0) server.completeCloses();
      else if (server.pending[0]) server.pending[0].fail(reason);
      else if (peer) peer.fail(reason);
      else return 'no connection to end';
      return null;
    }
    case 'heartbeat.pong': {
      if (!peer) return pongWhileClosing(record, actorOf);
      if (event.proof === 'pong' && link.heartbeatMode === 'app') peer.send(PONG);
      else if (event.proof === 'pong' && server.heldPings > 0) server.answerPings(1);
      else peer.send(link.resumes ? encodeAck(0) : ACTIVITY);
      return null;
    }
    case 'resume.done':
      if (!peer) return 'no open connection to answer the resume';
      return answerResume(peer, event);
    case 'resume.failed':
    case 'resume.unacked': {
      const actor = actorOf(record.actor);
      if (!actor) return `no actor ${record.actor}`;
      report(
        actor,
        event.type === 'resume.unacked'
          ? { type: 'resume.unacked' }
          : { type: 'resume.failed', reason: asRecord(event.reason) as unknown as Reason },
      );
      return null;
    }
    case 'handshake.ok':
    case 'handshake.failed': {
      const handshake = link.handshake;
      link.handshake = null;
      if (!handshake) return 'no handshake is running';
      if (event.type === 'handshake.ok') handshake.resolve();
      else {
        const reason = asRecord(event.reason);
        const message = String(reason.message ?? '').replace(/^handshake failed: /, '');
        handshake.reject(Object.assign(new Error(message), reason.fatal === true ? { fatal: true } : {}));
      }
      return null;
    }
    default:
      return `cannot replay ${event.type} from a transport`;
  }
}
