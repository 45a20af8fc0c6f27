/**
 * How a `resumable` server closes a client's socket: the close frame with its code and reason,
 * then, if the peer has not answered it within `closeTimeout` (SERVER_CLOSE_TIMEOUT_MS,
 * machines/policy/resume.ts), the socket is terminated. A peer that stopped reading would otherwise
 * keep the socket CLOSING, with ws's timer, for ws's own 30 s, long after the server's `close()`
 * resolved.
 *
 * Owns: the farewell chart of each socket it closes (machines/farewell.machine.ts: its
 * `closeTimeout` is a delayed transition, drawn by the inspector and covered by the model tests),
 * started as the close frame goes out (a connected socket has none) and done as the socket closes.
 * The chart runs on the system clock (XState's own), not the application's `clock` option: it
 * bounds a socket's I/O as ws's own close timer does, and a simulated or frozen application clock
 * must not keep sockets CLOSING. Does not own the socket (the WebSocketServer's).
 */
import type { WebSocket } from 'ws';
import { createActor, type InspectionEvent } from 'xstate';
import { farewellMachine } from '../../machines/farewell.machine.js';

/** The chart's input: the policy's timeout (one object for every socket). */
const INPUT = Object.freeze({});

/** ws's readyState of a socket whose close is under way or done. */
const CLOSING = 2;

/** Closes `ws` with `code` and `reason`; terminates it if its peer does not answer in time (its
 * farewell chart, inspected by `inspect` as the server's other charts are). */
export function closeSocket(
  ws: WebSocket,
  code: number,
  reason: string,
  inspect?: ((event: InspectionEvent) => void) | undefined,
): void {
  // A socket already closing has its farewell (or its peer's answer) already.
  const wasOpen = ws.readyState < CLOSING;
  ws.close(code, reason);
  if (!wasOpen || ws.readyState !== CLOSING) return;
  const farewell = createActor(farewellMachine, inspect ? { input: INPUT, inspect } : { input: INPUT });
  // Observers run after the chart's step: the socket ends outside it.
  farewell.subscribe((snapshot) => {
    if (snapshot.value === 'timedOut') ws.terminate();
  });
  ws.once('close', () => {
    if (farewell.getSnapshot().status === 'active') farewell.send({ type: 'farewell.closed' });
  });
  farewell.start();
}
