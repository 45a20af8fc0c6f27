/**
 * The drop-in's `binaryType`: the names a WebSocket accepts ('blob', 'arraybuffer', and in Node
 * 'nodebuffer') and the conversion of a received binary message into the one asked for.
 */
import type { Incoming } from '../transports/payload.js';

/** How binary messages are delivered. */
export type BinaryTypeName = 'blob' | 'arraybuffer' | 'nodebuffer';
/** The names this platform's WebSocket accepts: 'nodebuffer' only in Node (`ws`'s); a browser's
 * WebSocket ignores it, as any name not of its enum (Chromium: test/browser/dropin.test.ts). */
export const BINARY_TYPES: readonly string[] = (globalThis as { process?: { versions?: { node?: unknown } } })
  .process?.versions?.node
  ? ['blob', 'arraybuffer', 'nodebuffer']
  : ['blob', 'arraybuffer'];

/** A received message as `binaryType` asks: text as is, binary as a Blob, an ArrayBuffer or (Node)
 * the bytes as received. */
export function asBinaryType(data: Incoming, binaryType: BinaryTypeName): unknown {
  if (typeof data === 'string' || binaryType === 'nodebuffer') return data;
  if (binaryType === 'arraybuffer') {
    return data instanceof ArrayBuffer
      ? data
      : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  }
  return new Blob([data as ArrayBuffer]);
}
