/**
 * How the command-line client shows things: delays ("250 ms", "1.6 s"), received messages (text
 * as it is, binary as base64 with its size) and lifecycle lines ("* reconnecting in 1.6 s, …").
 */
import type { Incoming } from '../transports/payload.js';

export function formatDelay(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1_000).toFixed(1)} s`;
}

/** One received message as one line of output (newlines inside a text message are kept). */
export function formatMessage(data: Incoming): string {
  if (typeof data === 'string') return data;
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  return `[binary, ${bytes.byteLength} bytes] ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** A lifecycle line, as printed on stderr. */
export function lifecycle(text: string): string {
  return `* ${text}\n`;
}
