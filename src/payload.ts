/**
 * What a link can send and receive, and how big it is.
 */
import { LinkvisorError } from './errors.js';

/** Outbound: text, or binary as any ArrayBuffer view or ArrayBuffer (Node Buffers included). */
export type Payload = string | ArrayBuffer | ArrayBufferView;

/** Inbound: text frames as strings; binary frames as Buffer (Node) or ArrayBuffer (browser). */
export type Incoming = string | ArrayBuffer | Uint8Array;

export function assertPayload(data: unknown): asserts data is Payload {
  if (typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return;
  const kind = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
  throw new LinkvisorError(
    'LV_ERR_INVALID_DATA',
    `send(data): data must be a string, an ArrayBuffer or an ArrayBuffer view (Buffer, Uint8Array), got ${kind}; serialise objects first (e.g. JSON.stringify)`,
    { option: 'data' },
  );
}

/** Size in bytes as sent: UTF-8 length of text, byte length of binary. */
export function byteLengthOf(data: Payload): number {
  if (typeof data !== 'string') return data.byteLength;
  let bytes = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < data.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
