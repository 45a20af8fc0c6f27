/**
 * LinkDriver: performs the model's events on the real runtime — accepts, refuses or drops on a
 * server under the test's control (ModelServer), fires a named delay's timer on the test clock,
 * answers a held ping, or sends a command to the link actor. It decides nothing: the path does.
 */
import type { AnyActorRef } from 'xstate';
import type { ConnectionEvent } from '../../machines/connection.machine.js';
import { decodeFrame, encodeSeq, encodeWelcome, type Hello, PROTOCOL_VERSION } from '../resume/frames.js';
import { DRAIN_POLL_MS } from '../runtime/attempt.js';
import type { RefuseWith } from '../transports/memory-transport.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { type ConnectionSnapshot, describeEvent, reasonClass } from './link-model-events.js';
import { MODEL_DELAYS_MS, type ModelResolveGate } from './link-model-options.js';
import { settle, type TestClock } from './test-clock.js';

/** What the driver needs of a server under the test's control (the memory server is one; a
 * `ws` server that holds upgrades, pings and close echoes can be another). */
export interface ModelServer {
  /** Connection attempts waiting for a decision. */
  readonly pending: readonly { accept(): unknown; refuse(how?: RefuseWith): void }[];
  /** Open server-side peers, oldest first. */
  readonly peers: readonly {
    terminate(): void;
    close(code?: number): void;
    send(data: string | Uint8Array): void;
    /** What the peer received (the resume model reads the client's hello from it). */
    readonly received?: readonly unknown[];
    /** The client's socket fires `error` and never `close` (the memory server's peers can). */
    errorWithoutClose?(): void;
  }[];
  answerPings(): number;
  completeCloses(): number;
  /** Empties the send buffers of closing links (see the memory server's `holdDrains`); a server
   * without it never offers `transport.drained`. */
  completeDrains?(): number;
}

/** Performs model events on the real runtime: the server, the clock, the link actor. */
export class LinkDriver {
  /** The model server's side of a resumable session: its id and the data it sent in it. */
  private session = { id: '', sent: 0 };

  constructor(
    private readonly server: ModelServer,
    private readonly clock: TestClock,
    private readonly link: () => AnyActorRef,
    private readonly send: ((data: string) => unknown) | null,
    /** The application's hold on reading (`Link.pause`/`resume`); without it the driver sends the
     * chart's event to the actor. */
    private readonly flow: { pause(): unknown; resume(): unknown } | null = null,
    /** The per-attempt function's calls, held until the model settles them (link-model-options.ts). */
    private readonly gate: ModelResolveGate | null = null,
  ) {
    if (!isRecord(server) || typeof server.answerPings !== 'function')
      throw optionError(
        'server',
        `must be a ModelServer (the memory network's server is one), got ${describe(server)}`,
      );
    if (!isRecord(clock) || typeof clock.fire !== 'function')
      throw optionError('clock', `must be a TestClock, got ${describe(clock)}`);
    if (typeof link !== 'function')
      throw optionError('link', `must be a function returning the link actor, got ${describe(link)}`);
  }

  async perform(event: ConnectionEvent, snapshot: ConnectionSnapshot): Promise<void> {
    const fail = (why: string): never => {
      throw new Error(`cannot perform ${describeEvent(event)} in ${JSON.stringify(snapshot.value)}: ${why}`);
    };
    const server = this.server;
    const peer = () => server.peers.at(-1) ?? fail('no open peer on the server');
    const type = event.type as string;
    if (type.startsWith('xstate.after.')) {
      const delay = type.split('.')[2] as keyof typeof MODEL_DELAYS_MS;
      if (!(await this.clock.fire(MODEL_DELAYS_MS[delay]))) fail(`no ${delay} timer pending`);
      return;
    }
    switch (event.type) {
      case 'transport.opening':
        if ((this.gate?.settle('release') ?? 0) === 0) fail('no per-attempt function call waiting');
        break;
      case 'transport.open': {
        const pending = server.pending[0] ?? fail('no connection attempt pending');
        pending.accept();
        break;
      }
      case 'transport.closed': {
        const kind = reasonClass(event.reason);
        if (snapshot.matches({ attempt: 'resolving' })) {
          if ((this.gate?.settle('reject') ?? 0) === 0) fail('no per-attempt function call waiting');
        } else if (snapshot.matches({ attempt: 'closing' })) {
          if (server.completeCloses() === 0) fail('no close handshake held');
        } else if (
          snapshot.matches({ attempt: 'connecting' }) ||
          snapshot.matches({ attempt: 'connectGrace' })
        ) {
          const pending = server.pending[0] ?? fail('no connection attempt pending');
          pending.refuse(
            kind === 'fatal'
              ? { status: 403 }
              : kind === 'auth'
                ? { status: 401 }
                : { error: 'ECONNREFUSED' },
          );
        } else if (kind === 'retryable') {
          peer().terminate();
        } else {
          peer().close(kind === 'fatal' ? 1008 : kind === 'auth' ? 3000 : 1000);
        }
        break;
      }
      // The socket errs and never closes: the link's error-close timer is armed (not fired: the
      // model's link stays where it is until errorCloseGrace, which no model step waits for).
      case 'transport.error': {
        const target = peer();
        if (!target.errorWithoutClose) fail('the server cannot make a socket err without a close');
        target.errorWithoutClose?.();
        break;
      }
      case 'transport.drained':
        // The buffer empties; the drain's next check (its poll timer) writes the close frame.
        if ((server.completeDrains?.() ?? 0) === 0) fail('no drain held');
        if (!(await this.clock.fire(DRAIN_POLL_MS))) fail('no drain check pending');
        break;
      case 'handshake.ok':
        peer().send('ok');
        break;
      case 'handshake.failed':
        peer().send(event.reason.fatal ? 'fatal' : 'no');
        break;
      case 'heartbeat.pong':
        if (event.proof === 'pong') {
          if (server.answerPings() === 0) fail('no ping held');
        } else {
          peer().send('activity');
          this.session.sent++;
        }
        break;
      case 'resume.done':
        this.answerResume(peer(), fail);
        break;
      case 'resume.unacked': {
        // The peer sends a message; the link's ack timer (ackDelay) must be running, and firing
        // it must send the ack of everything received.
        const target = peer();
        target.send('activity');
        this.session.sent++;
        await settle();
        if (!(await this.clock.fire(MODEL_DELAYS_MS.ackDelay))) fail('no ack timer pending');
        await settle();
        const last = target.received?.at(-1);
        const frame = last instanceof Uint8Array ? decodeFrame(last) : null;
        if (frame?.kind !== 'ack' || frame.seq !== this.session.sent)
          fail(
            `the ack timer sent no ack of ${this.session.sent} (last frame: ${frame?.kind ?? String(last)})`,
          );
        break;
      }
      case 'resume.failed':
        // Not a welcome (the peer does not speak it), or a welcome for a session the client is not in.
        if (event.reason.fatal) peer().send('not a welcome');
        else peer().send(this.welcome('resumed', 'not-this-session'));
        break;
      case 'heartbeat.overdue': {
        if (!this.send) fail('no link facade to send through');
        // Timers suspended (sleep): time jumps, then the application sends.
        this.clock.jump(10 * MODEL_DELAYS_MS.heartbeatInterval);
        this.send?.('after sleep');
        break;
      }
      case 'link.pause':
        if (this.flow) {
          if (this.flow.pause() !== true) fail('the link did not pause');
        } else this.link().send(event);
        break;
      case 'link.resume':
        if (this.flow) {
          if (this.flow.resume() !== true) fail('the link was not paused');
        } else this.link().send(event);
        break;
      default:
        this.link().send(event);
    }
    await settle();
  }

  /** Answers the client's hello as a resumable server would: its session resumed (replaying
   * what the client missed), or a new one. */
  private answerResume(peer: LinkDriver['server']['peers'][number], fail: (why: string) => never): void {
    const hello = [...(peer.received ?? [])]
      .reverse()
      .map((frame) => (frame instanceof Uint8Array ? decodeFrame(frame) : null))
      .find((frame): frame is Hello => frame?.kind === 'hello');
    if (!hello) fail('no resume hello received');
    const h = hello as Hello;
    if (h.sessionId !== '' && h.sessionId === this.session.id) {
      peer.send(this.welcome('resumed', h.sessionId));
      peer.send(encodeSeq(h.lastReceived + 1));
      for (let n = h.lastReceived; n < this.session.sent; n++) peer.send('activity');
      return;
    }
    this.session = { id: h.newId, sent: 0 };
    peer.send(this.welcome(h.sessionId === '' ? 'new' : 'reset', h.newId));
    peer.send(encodeSeq(1));
  }

  private welcome(outcome: 'new' | 'resumed' | 'reset', sessionId: string): Uint8Array {
    return encodeWelcome({
      version: PROTOCOL_VERSION,
      outcome,
      reason: outcome === 'reset' ? 'unknown-session' : null,
      sessionId,
      lastReceived: 0,
      lastSent: this.session.sent,
    });
  }
}
