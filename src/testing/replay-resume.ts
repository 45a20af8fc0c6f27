/**
 * How `replayTrace` answers a replayed link's resume hello (src/testing/replay-session.ts): with the
 * welcome of the recorded outcome, as a resumable server would, then the number of its next data
 * frame. It replays nothing: the replay sends no application data.
 */
import {
  decodeFrame,
  encodeSeq,
  encodeWelcome,
  type Hello,
  PROTOCOL_VERSION,
  type ResetReason,
} from '../resume/frames.js';
import type { TraceJson } from '../trace/trace-format.js';
import type { MemoryPeer } from '../transports/memory-transport.js';

const RESET_REASONS: readonly string[] = ['unknown-session', 'overflow', 'protocol'];

/** Answers the link's last hello with the recorded outcome, as a resumable server would: the welcome,
 * then the number of its next data frame (it replays nothing: the replay sends no data). */
export function answerResume(peer: MemoryPeer, event: Record<string, TraceJson>): string | null {
  const hello = [...peer.received]
    .reverse()
    .map((frame) => decodeFrame(frame instanceof ArrayBuffer ? new Uint8Array(frame) : frame))
    .find((frame): frame is Hello => frame.kind === 'hello');
  if (!hello) return 'no resume hello to answer';
  const outcome = event.outcome;
  if (outcome !== 'new' && outcome !== 'resumed' && outcome !== 'reset')
    return `no resume outcome ${JSON.stringify(outcome)}`;
  const resumed = outcome === 'resumed';
  const reason = RESET_REASONS.includes(event.reason as string) ? (event.reason as ResetReason) : null;
  peer.send(
    encodeWelcome({
      version: PROTOCOL_VERSION,
      outcome,
      reason: outcome === 'reset' ? (reason ?? 'unknown-session') : null,
      sessionId: resumed ? hello.sessionId : hello.newId,
      lastReceived: 0,
      lastSent: resumed ? hello.lastReceived : 0,
    }),
  );
  peer.send(encodeSeq(resumed ? hello.lastReceived + 1 : 1));
  return null;
}
