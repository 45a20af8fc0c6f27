/**
 * What closing a link sends to the peer, checked as a browser's WebSocket checks close()'s: the
 * code 1000 or 3000–4999, the reason at most 123 bytes of UTF-8; anything else throws
 * LV_ERR_INVALID_OPTION naming `code` or `reason`. `link.close(options)` takes them; the drop-in's
 * `close(code, reason)` and `reconnect(code, reason)` throw a WebSocket's DOMExceptions instead
 * (../dropin/websocket-close-args.ts).
 */
import { describe, isRecord } from './describe.js';
import { optionError } from './errors.js';
import { checkLiteralKeys } from './literal-keys.js';

/** The keys of CloseOptions: a misspelt one (`cod`) of a literal is LV_ERR_UNKNOWN_OPTION, not
 * ignored; a close event's other keys (`wasClean`) are (./literal-keys.ts). */
const CLOSE_KEYS: ReadonlySet<string> = new Set(['code', 'reason']);

/** What `link.close()` sends to the peer. */
export interface CloseOptions {
  /** Close code sent to the peer: 1000 or 3000–4999. Default 1000. */
  code?: number;
  /** Close reason, at most 123 bytes of UTF-8. */
  reason?: string;
}

/** Throws for a close code or reason a WebSocket would refuse, or a reason that is no string
 * (it was sent as an empty one); undefined (or null) is fine for either. Values are described,
 * never shown (a secret may be in them). */
export function checkCloseArgs(code: unknown, reason: unknown): void {
  if (
    code !== undefined &&
    !(code === 1000 || (Number.isInteger(code) && (code as number) >= 3000 && (code as number) <= 4999))
  ) {
    throw optionError('code', `must be 1000 or 3000–4999, got ${describe(code)}`);
  }
  if (reason == null) return;
  if (typeof reason !== 'string') throw optionError('reason', `must be a string, got ${describe(reason)}`);
  if (new TextEncoder().encode(reason).length > 123) {
    throw optionError('reason', 'must be at most 123 bytes of UTF-8');
  }
}

/** `link.close()`'s options as its command: an object (LV_ERR_INVALID_OPTION naming `options`
 * otherwise) of `code` and `reason` only (LV_ERR_UNKNOWN_OPTION naming another key of a literal;
 * a close event is read for them alone), code 1000 and reason '' when absent, both checked. */
export function closeCommand(options: unknown): { code: number; reason: string } {
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkLiteralKeys(options, CLOSE_KEYS);
  const code = options.code ?? 1000;
  const reason = options.reason ?? '';
  checkCloseArgs(code, reason);
  return { code: code as number, reason: reason as string };
}
