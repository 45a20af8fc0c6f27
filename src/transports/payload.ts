/**
 * What a link can send and receive, how big it is on the wire, and the checks and copies every
 * way into a socket shares (send(), the queue, the app heartbeat's ping(), a handshake's send()).
 */

import { describe } from '../util/describe.js';
import { LinkvisorError } from '../util/errors.js';
import { redactedCause } from '../util/redacted-cause.js';
import { describeThrown } from '../util/thrown.js';

/** Outbound: text, or binary as any ArrayBuffer view or ArrayBuffer (Node Buffers included). */
export type Payload = string | ArrayBuffer | ArrayBufferView;

/** Inbound: text frames as strings; binary frames as Buffer (Node) or ArrayBuffer (browser). */
export type Incoming = string | ArrayBuffer | Uint8Array;

const SENDABLE = 'a string, an ArrayBuffer or an ArrayBuffer view (Buffer, Uint8Array)';

/** Where a value is on its way to a socket: the call shown in messages and the option it is. */
export interface PayloadSite {
  call: string;
  option: string;
}

export const SEND_DATA: PayloadSite = { call: 'send(data)', option: 'data' };

/**
 * Throws LV_ERR_INVALID_DATA unless `data` can be written: a string, or binary whose memory is
 * still there (a detached ArrayBuffer, after a transfer or WASM memory growth, has none).
 */
export function assertPayload(data: unknown, site: PayloadSite = SEND_DATA): asserts data is Payload {
  if (typeof data === 'string') return;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    if (hasNoBytes(data)) {
      throw new LinkvisorError(
        'LV_ERR_INVALID_DATA',
        `${site.call}: the ArrayBuffer was detached (transferred, or its WASM memory grew) or the view lies outside it; nothing is left to send`,
        { option: site.option },
      );
    }
    return;
  }
  throw new LinkvisorError(
    'LV_ERR_INVALID_DATA',
    `${site.call}: ${site.option} must be ${SENDABLE}, got ${describe(data)}; serialise objects first (e.g. JSON.stringify)`,
    { option: site.option },
  );
}

/** An LV_ERR_INVALID_DATA for a message the socket refused (its send threw): thrown by send()
 * at once, so its `cause` is the redacted copy (../util/redacted-cause.ts) here, not at an event. */
export function unwritable(
  error: unknown,
  site: PayloadSite,
  redact: (text: string) => string,
): LinkvisorError {
  const detail = redact(describeThrown(error));
  return new LinkvisorError(
    'LV_ERR_INVALID_DATA',
    `${site.call}: the socket refused the message (${detail})`,
    {
      option: site.option,
      cause: redactedCause(error, redact),
    },
  );
}

/**
 * A private copy of binary data, for a message that waits in a queue: the application may reuse
 * or change its buffer once send() returns (as a browser's WebSocket copies at send()). Text is
 * immutable and returned as is. Typed arrays keep their type (a Buffer stays a Buffer).
 */
export function copyPayload(data: Payload): Payload {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return data.slice(0);
  if (data instanceof DataView) {
    return new DataView(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  }
  try {
    return typedArraySlice.call(data as Uint8Array) as Payload;
  } catch {
    // A typed array subclass whose species constructor misbehaves: its bytes, as a Uint8Array.
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
}

/** Size in bytes on the wire: UTF-8 length of text (a lone surrogate is sent as U+FFFD, 3 bytes),
 * byte length of binary. */
export function byteLengthOf(data: Payload): number {
  if (typeof data !== 'string') return data.byteLength;
  let bytes = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(data.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const typedArraySlice = Object.getPrototypeOf(Uint8Array.prototype).slice as (this: Uint8Array) => Uint8Array;

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Binary whose memory is gone: a detached buffer (it reads as empty: only an empty message pays
 * for the check), or a DataView past the end of its buffer (reading its length throws). */
function hasNoBytes(data: ArrayBuffer | ArrayBufferView): boolean {
  try {
    if (data.byteLength > 0) return false;
  } catch {
    return true;
  }
  const buffer = data instanceof ArrayBuffer ? data : data.buffer;
  return buffer.byteLength === 0 && isDetached(buffer);
}

function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  try {
    new Uint8Array(buffer); // throws on a detached buffer (engines without ArrayBuffer#detached)
    return false;
  } catch {
    return true;
  }
}
