/**
 * A server's messages written in ONE write to its TCP socket (several frames in one segment: the
 * client's ws parses them from one read and hands them over in one batch), uncompressed or
 * compressed (permessage-deflate: the client's ws inflates each on zlib's threads, one after the
 * other, so the rest of the batch comes on later turns). Server-to-client frames are unmasked.
 */
import zlib from 'node:zlib';
import type { WebSocket } from 'ws';
import type { Harness } from '../helpers/harness.js';

function frame(payload: Buffer, compressed: boolean): Buffer {
  const first = compressed ? 0xc1 : 0x81; // FIN, (RSV1,) text
  if (payload.length < 126) return Buffer.concat([Buffer.from([first, payload.length]), payload]);
  const header = Buffer.alloc(4);
  header[0] = first;
  header[1] = 126;
  header.writeUInt16BE(payload.length, 2);
  return Buffer.concat([header, payload]);
}

/** A message deflated on its own (RFC 7692 §7.2.1: the sync flush's 00 00 ff ff left off); the
 * client's inflater, which keeps its context, reads each as new blocks of its stream. */
function deflated(text: string): Buffer {
  const out = zlib.deflateRawSync(Buffer.from(text), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}

/** Writes `messages` to the server socket `ws` in one TCP write (compressed: all, or those from
 * the index given on; the socket must have negotiated permessage-deflate). */
export function writeOneRead(
  ws: WebSocket | undefined,
  messages: readonly string[],
  compressed: boolean | { from: number } = false,
): void {
  if (!ws) throw new Error('writeOneRead: no server socket');
  const frames = messages.map((m, i) => {
    const deflate = typeof compressed === 'boolean' ? compressed : i >= compressed.from;
    return frame(deflate ? deflated(m) : Buffer.from(m), deflate);
  });
  (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.concat(frames));
}

/** The ways one read's messages reach a client, as `describe.each` rows [name, compressed,
 * synchronous]: in one batch; inflated one by one on zlib's threads (permessage-deflate); handed
 * over a turn each (ws's `allowSynchronousEvents: false`), the rest of the read waiting. */
export const READS = [
  ['uncompressed', false, true],
  ['compressed', true, true],
  ['deferred', false, false],
] as const;

/** A ws server on loopback that keeps its sockets (to write a read to), compressing when asked. */
export async function batchServer(h: Harness, compressed: boolean) {
  const sockets: WebSocket[] = [];
  const server = await h.wsServer({
    onConnection: (ws) => sockets.push(ws),
    ...(compressed ? { perMessageDeflate: { threshold: 0 } } : {}),
  });
  return { server, sockets };
}
