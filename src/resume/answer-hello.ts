/**
 * The server's side of the resume handshake (docs/resume-protocol.md), pure: given a client's
 * first frame and what the server has of the session it names, the answer. A client that names
 * no session gets a new one; one whose session is known and whose numbers fit gets it resumed
 * with the replay it missed; any other gets a new session and the reason it could not resume.
 */
import type { AckOptions, ResumeLimits } from '../../machines/policy/resume.js';
import {
  type AppData,
  decodeFrame,
  encodeWelcome,
  type Outcome,
  PROTOCOL_VERSION,
  type ResetReason,
} from './frames.js';
import { type Entry, ResumeStream } from './resume-stream.js';

/** What the server has of the session a hello names: its stream, a note that it overflowed
 * (kept until its TTL so the client learns why), or nothing. */
export type Known = ResumeStream | 'overflow' | undefined;

export interface HelloAnswer {
  kind: 'accept';
  outcome: Outcome;
  reason: ResetReason | null;
  sessionId: string;
  stream: ResumeStream;
  /** Messages to send again, oldest first (after the welcome). */
  replay: Entry[];
  welcome: Uint8Array;
}

export interface HelloRequest {
  sessionId: string;
  lastReceived: number;
  newId: string;
}

/** Reads a client's first frame: its hello, or why this is not a resume client. */
export function readHello(frame: AppData): HelloRequest | { message: string } {
  const decoded = decodeFrame(frame);
  if (decoded.kind === 'unsupported') {
    return {
      message: `resume protocol v${decoded.version} is not supported (this server speaks v${PROTOCOL_VERSION})`,
    };
  }
  if (decoded.kind !== 'hello') {
    return {
      message: `expected a linkvisor resume hello as the first message, got ${decoded.kind === 'data' ? 'application data' : `a ${decoded.kind} frame`}`,
    };
  }
  if (decoded.newId === '' || decoded.newId === decoded.sessionId) {
    return { message: 'the resume hello has no fresh id for a new session' };
  }
  return { sessionId: decoded.sessionId, lastReceived: decoded.lastReceived, newId: decoded.newId };
}

/**
 * The answer to `hello`, given `lookup` of what the server has of a session id:
 * 1. the session it names is there and its numbers fit: `resumed`, with the replay it missed;
 * 2. the session of its `newId` is there: a welcome for it was lost with its socket; the same
 *    answer again (`new` or `reset`), replaying what that session sent since. `startedReason` is
 *    the reason that session was started with, when the server knows it: the first answer
 *    consumed what it was made of (an overflowed session's note, a session reset), so the reason
 *    is the one it gave then, not what is left of the named session now;
 * 3. otherwise a session `newId` starts: `new` if the client had none, else `reset` with why.
 */
export function answerHello(
  hello: HelloRequest,
  lookup: (sessionId: string) => Known,
  limits: ResumeLimits,
  acks: AckOptions,
  startedReason?: ResetReason | null,
): HelloAnswer {
  const named = hello.sessionId === '' ? undefined : lookup(hello.sessionId);
  if (named instanceof ResumeStream) {
    const replay = named.replayAfter(hello.lastReceived);
    if (replay !== null) {
      named.startSocket();
      return accept('resumed', null, hello.sessionId, named, replay);
    }
  }
  let reason: ResetReason | null = null;
  if (hello.sessionId !== '') {
    reason = named === 'overflow' ? 'overflow' : named ? 'protocol' : 'unknown-session';
  }
  const outcome = reason ? 'reset' : 'new';
  const started = lookup(hello.newId);
  if (started instanceof ResumeStream) {
    const replay = started.replayAfter(0);
    if (replay !== null) {
      started.startSocket();
      const again = reason !== null && startedReason ? startedReason : reason;
      return accept(outcome, again, hello.newId, started, replay);
    }
  }
  const stream = new ResumeStream(limits, acks);
  stream.startSocket();
  return accept(outcome, reason, hello.newId, stream, []);
}

function accept(
  outcome: Outcome,
  reason: ResetReason | null,
  sessionId: string,
  stream: ResumeStream,
  replay: Entry[],
): HelloAnswer {
  const welcome = encodeWelcome({
    version: PROTOCOL_VERSION,
    outcome,
    reason,
    sessionId,
    lastReceived: stream.receivedSeq,
    lastSent: stream.sentSeq,
  });
  return { kind: 'accept', outcome, reason, sessionId, stream, replay, welcome };
}
