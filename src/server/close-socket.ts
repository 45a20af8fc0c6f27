/**
 * How a `resumable` server closes a client's socket: the close frame with its code and reason,
 * then, if the peer has not answered it within SERVER_CLOSE_TIMEOUT_MS (machines/policy/resume.ts),
 * the socket is terminated. A peer that stopped reading would otherwise keep the socket CLOSING,
 * with ws's timer, for ws's own 30 s, long after the server's `close()` resolved.
 *
 * Owns: one timer per socket it closes, on the system clock (socket I/O, as ws's own close timer;
 * the application's clock drives the sessions' charts), cleared as the socket closes. Does not own
 * the socket (the WebSocketServer's).
 */
import type { WebSocket } from 'ws';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';
import { systemClock } from '../util/clock.js';

/** ws's readyState of a socket whose close is under way or done. */
const CLOSING = 2;

/** Closes `ws` with `code` and `reason`; terminates it if its peer does not answer in time. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  // A socket already closing has its timer (or its peer's answer) already.
  const wasOpen = ws.readyState < CLOSING;
  ws.close(code, reason);
  if (!wasOpen || ws.readyState !== CLOSING) return;
  const timer = systemClock.setTimeout(() => ws.terminate(), SERVER_CLOSE_TIMEOUT_MS);
  ws.once('close', () => systemClock.clearTimeout(timer));
}
