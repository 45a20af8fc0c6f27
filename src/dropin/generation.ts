/**
 * A generation of the drop-in (./reconnecting-websocket.ts): one link, from connect (or
 * reconnect()) to close() or failure.
 */
import type { Link } from '../runtime/link.js';

/** One link, from connect (or reconnect()) to close() or failure. */
export interface Generation {
  readonly link: Link;
  /** Closed, failed or superseded: its events are no longer ours. */
  over: boolean;
}

/** Whether the link is in an attempt that has not opened yet (connecting or handshaking). */
export function attemptPending({ state }: Link): boolean {
  return state === 'connecting' || state === 'handshaking';
}
