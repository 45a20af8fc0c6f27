/**
 * What closing a link sends to the peer, checked as a browser's WebSocket checks close()'s: the
 * code 1000 or 3000–4999, the reason at most 123 bytes of UTF-8; anything else throws
 * LV_ERR_INVALID_OPTION naming `code` or `reason`. `link.close(options)` takes them; the drop-in's
 * `close(code, reason)` and `reconnect(code, reason)` throw a WebSocket's DOMExceptions instead
 * (../dropin/websocket-close-args.ts).
 */
import { optionError } from './errors.js';

/** What `link.close()` sends to the peer. */
export interface CloseOptions {
  /** Close code sent to the peer: 1000 or 3000–4999. Default 1000. */
  code?: number;
  /** Close reason, at most 123 bytes of UTF-8. */
  reason?: string;
}

/** Throws for a close code or reason a WebSocket would refuse; undefined is fine for either. */
export function checkCloseArgs(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && !(code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999))) {
    throw optionError('code', `must be 1000 or 3000–4999, got ${String(code)}`);
  }
  if (reason !== undefined && new TextEncoder().encode(String(reason)).length > 123) {
    throw optionError('reason', 'must be at most 123 bytes of UTF-8');
  }
}
