/**
 * The client's side of the resume handshake (docs/resume-protocol.md), sans I/O: on every socket
 * it says `hello` (the session it has, the last message it received in it, and the id of the
 * session to start if that one is gone), reads the server's `welcome`, then replays what the
 * server missed. Its outcome is explicit: a new session, the old one resumed (with how much each
 * side replays), a reset (what was never acknowledged is returned, to be reported), or an error
 * (a peer that does not speak the protocol, or broke it).
 */
import type { AckOptions, ResumeLimits, ResumeOptions } from '../../machines/policy/resume.js';
import { type AppData, decodeFrame, encodeHello, PROTOCOL_VERSION, type ResetReason } from './frames.js';
import { type EndpointIO, ResumeEndpoint } from './resume-endpoint.js';
import { type Entry, ResumeStream } from './resume-stream.js';

export type ClientOutcome =
  | { outcome: 'new' }
  | { outcome: 'resumed'; replayedIn: number; replayedOut: number }
  | { outcome: 'reset'; reason: ResetReason; dropped: Entry[] }
  /** `foreign`: the first answer was not a welcome of this version (the peer does not speak the
   * protocol: retrying cannot help); otherwise the server broke the protocol mid-session. */
  | { outcome: 'error'; message: string; foreign: boolean };

export class ResumeClient extends ResumeEndpoint {
  /** The session this client is in ('' before the first welcome, and after a protocol error). */
  private sessionId = '';
  /** The id of the next session to start; the same until a welcome adopts it. */
  private newId: string;
  /** Waiting for the welcome on the current socket. */
  private awaitingWelcome = false;
  /** The session was lost to a protocol error: the next welcome is a reset, whatever it says. */
  private lost: ResetReason | null = null;

  constructor(
    stream: ResumeStream,
    io: EndpointIO,
    /** A fresh unguessable session id (the runtime: a random UUID, 122 random bits; tests: a counter). */
    private readonly makeId: () => string,
  ) {
    super(stream, io);
    this.newId = makeId();
  }

  static createClient(
    limits: ResumeLimits,
    acks: AckOptions,
    io: EndpointIO,
    makeId: () => string,
  ): ResumeClient {
    return new ResumeClient(new ResumeStream(limits, acks), io, makeId);
  }

  /** Whether the client has a session to resume. */
  get inSession(): boolean {
    return this.sessionId !== '';
  }

  /** A socket opened: the hello to write first. */
  hello(): Uint8Array {
    this.open = false;
    this.awaitingWelcome = true;
    this.stream.startSocket();
    return encodeHello({
      version: PROTOCOL_VERSION,
      sessionId: this.sessionId,
      lastReceived: this.sessionId === '' ? 0 : this.stream.receivedSeq,
      newId: this.newId,
    });
  }

  /**
   * A frame from the server. While the welcome is awaited, returns the handshake's outcome;
   * afterwards null, or an `error` outcome when the server broke the protocol.
   */
  receiveFrame(frame: AppData, nowMs: number): ClientOutcome | null {
    const decoded = decodeFrame(frame);
    if (!this.awaitingWelcome) {
      const broken = this.receive(decoded, nowMs);
      return broken === null ? null : this.broken(broken);
    }
    this.awaitingWelcome = false;
    if (decoded.kind === 'unsupported') {
      return this.broken(
        `the server answered with resume protocol v${decoded.version}; this client speaks v${PROTOCOL_VERSION}`,
        true,
      );
    }
    if (decoded.kind !== 'welcome') {
      const what =
        decoded.kind === 'hello'
          ? 'it sent our hello back (an echo server?)'
          : decoded.kind === 'data'
            ? 'its first message was application data'
            : `its first frame was ${decoded.kind === 'invalid' ? `invalid (${decoded.message})` : `a ${decoded.kind} frame`}`;
      return this.broken(
        `the server does not speak the linkvisor resume protocol v${PROTOCOL_VERSION}: ${what}`,
        true,
      );
    }
    if (decoded.outcome === 'resumed') {
      if (this.sessionId === '' || decoded.sessionId !== this.sessionId) {
        return this.broken('the server resumed a session this client is not in');
      }
      const replay = this.stream.replayAfter(decoded.lastReceived);
      const replayedIn = decoded.lastSent - this.stream.receivedSeq;
      if (replay === null || replayedIn < 0) {
        return this.broken(
          `the server's numbers do not fit this session (it received ${decoded.lastReceived}, sent ${decoded.lastSent})`,
        );
      }
      this.startSending(replay);
      return { outcome: 'resumed', replayedIn, replayedOut: replay.length };
    }
    if (decoded.sessionId !== this.newId)
      return this.broken('the server started a session this client did not ask for');
    const hadSession = this.sessionId !== '';
    this.sessionId = this.newId;
    this.newId = this.makeId();
    const dropped = this.stream.reset();
    const lost = this.lost;
    this.lost = null;
    this.startSending([]);
    if (!hadSession && lost === null) return { outcome: 'new' };
    return { outcome: 'reset', reason: lost ?? decoded.reason ?? 'unknown-session', dropped };
  }

  /** The server broke the protocol: this socket must go, and the session with it (the next
   * socket starts a new one, and its outcome is a reset). */
  private broken(message: string, foreign = false): ClientOutcome {
    this.open = false;
    this.awaitingWelcome = false;
    if (this.sessionId !== '') {
      this.sessionId = '';
      this.lost = 'protocol';
    }
    return { outcome: 'error', message, foreign };
  }

  /** Ends the session for good (the link closed): what was never acknowledged, oldest first. */
  end(): Entry[] {
    this.open = false;
    this.sessionId = '';
    return this.stream.reset();
  }
}

/** Makes a link's session client (the runtime's resume session makes one per link, so that
 * bundles without them, such as the drop-in class, leave the protocol out). */
export type ResumeFactory = (options: ResumeOptions, io: EndpointIO) => ResumeClient;

/** The runtime's session client: ids are random UUIDs (122 random bits; a bearer secret, never shown). */
export const createResumeClient: ResumeFactory = (options, io) =>
  ResumeClient.createClient(options, options, io, () => globalThis.crypto.randomUUID());
