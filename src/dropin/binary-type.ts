/**
 * The drop-in's `binaryType`: the names a WebSocket accepts ('blob', 'arraybuffer', and in Node
 * 'nodebuffer') and the conversion of a received binary message into the one asked for.
 */
import type { Incoming } from '../transports/payload.js';

/** How binary messages are delivered. */
export type BinaryTypeName = 'blob' | 'arraybuffer' | 'nodebuffer';
export const BINARY_TYPES: readonly string[] = ['blob', 'arraybuffer', 'nodebuffer'];

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
