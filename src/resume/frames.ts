/**
 * The resume protocol's frames (docs/resume-protocol.md, version 1): how control frames are told
 * apart from application data, and their encoding. Pure: bytes in, values out.
 *
 * Application text travels as it is (a text frame, no overhead). Every control frame is a binary
 * frame whose first byte is MARK; application binary that itself starts with MARK is escaped as
 * MARK, ESCAPED, then its bytes (one copy, for 1 binary message in 256 of random data). Anything
 * else is application binary as it is.
 */

/** First byte of every control frame: 0xF5 never begins valid UTF-8, is rare at the start of
 * common binary encodings, and a collision costs one escape, never a misreading. */
export const MARK = 0xf5;
export const PROTOCOL_VERSION = 1;

export const KIND = {
  escaped: 0x00,
  hello: 0x01,
  welcome: 0x02,
  ack: 0x03,
  seq: 0x04,
} as const;

/** Why a server could not resume a session (the `reset` outcome). */
export type ResetReason = 'unknown-session' | 'overflow' | 'protocol';
const RESET_REASONS: readonly ResetReason[] = ['unknown-session', 'overflow', 'protocol'];

export type Outcome = 'new' | 'resumed' | 'reset';
const OUTCOMES: readonly Outcome[] = ['new', 'resumed', 'reset'];

/** Client → server, the first frame on every socket: which session, what it already has. */
export interface Hello {
  kind: 'hello';
  version: number;
  /** The session to resume; empty when the client has none. */
  sessionId: string;
  /** Sequence number of the last message the client received in that session (0: none). */
  lastReceived: number;
  /** The id, chosen by the client, of the session to start if there is none to resume. The
   * client sends the same one until a welcome adopts it, so a welcome lost with its socket
   * leads to the same session, never to a second one. */
  newId: string;
}

/** Server → client, the answer to a hello. */
export interface Welcome {
  kind: 'welcome';
  version: number;
  outcome: Outcome;
  /** Set when `outcome` is `reset`. */
  reason: ResetReason | null;
  /** The session the socket now carries (the hello's `newId` after `new` or `reset`). */
  sessionId: string;
  /** Last sequence number the server received from the client in this session. */
  lastReceived: number;
  /** Last sequence number the server has sent in this session (replay goes up to it). */
  lastSent: number;
}

/** Cumulative acknowledgement: every message up to `seq` arrived. */
export interface Ack {
  kind: 'ack';
  seq: number;
}

/** The next data frame on this socket carries sequence number `seq` (sent before a replay). */
export interface Seq {
  kind: 'seq';
  seq: number;
}

export type Control = Hello | Welcome | Ack | Seq;

/** Application data as the protocol carries it. */
export type AppData = string | Uint8Array;

/** What a received frame is: control, application data, or something no version-1 peer sends. */
export type Decoded =
  | Control
  | { kind: 'data'; data: AppData }
  | { kind: 'invalid'; message: string }
  /** A hello or welcome of another protocol version (its layout may differ from here on). */
  | { kind: 'unsupported'; frame: 'hello' | 'welcome'; version: number };

const U32 = 2 ** 32;

function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, Math.floor(value / U32));
  view.setUint32(offset + 4, value % U32);
}

/** Thrown by readU64 for a number of 2^53 or more, caught by decodeFrame (which never throws). */
const TOO_LARGE = 'a sequence number of 2^53 or more';

/** Reads a u64; one of 2^53 or more (no version-1 peer sends it, JavaScript cannot count it
 * exactly: an absurd `replayedIn`, acks that round) throws TOO_LARGE. */
function readU64(view: DataView, offset: number): number {
  const high = view.getUint32(offset);
  if (high >= 2 ** 21) throw TOO_LARGE;
  return high * U32 + view.getUint32(offset + 4);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function control(kind: number, size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(2 + size);
  bytes[0] = MARK;
  bytes[1] = kind;
  return { bytes, view: new DataView(bytes.buffer) };
}

/** Session ids are at most this many bytes of UTF-8 (one length byte). */
export const MAX_ID_BYTES = 255;

export function encodeHello(hello: Omit<Hello, 'kind'>): Uint8Array {
  const id = encoder.encode(hello.sessionId);
  const newId = encoder.encode(hello.newId);
  const { bytes, view } = control(KIND.hello, 1 + 8 + 1 + id.length + 1 + newId.length);
  view.setUint8(2, hello.version);
  writeU64(view, 3, hello.lastReceived);
  view.setUint8(11, id.length);
  bytes.set(id, 12);
  view.setUint8(12 + id.length, newId.length);
  bytes.set(newId, 13 + id.length);
  return bytes;
}

export function encodeWelcome(welcome: Omit<Welcome, 'kind'>): Uint8Array {
  const id = encoder.encode(welcome.sessionId);
  const { bytes, view } = control(KIND.welcome, 3 + 16 + 1 + id.length);
  view.setUint8(2, welcome.version);
  view.setUint8(3, OUTCOMES.indexOf(welcome.outcome));
  view.setUint8(4, welcome.reason === null ? 0 : RESET_REASONS.indexOf(welcome.reason) + 1);
  writeU64(view, 5, welcome.lastReceived);
  writeU64(view, 13, welcome.lastSent);
  view.setUint8(21, id.length);
  bytes.set(id, 22);
  return bytes;
}

export function encodeAck(seq: number): Uint8Array {
  const { bytes, view } = control(KIND.ack, 8);
  writeU64(view, 2, seq);
  return bytes;
}

export function encodeSeq(seq: number): Uint8Array {
  const { bytes, view } = control(KIND.seq, 8);
  writeU64(view, 2, seq);
  return bytes;
}

/** Application data as a frame: text as it is; binary as it is unless it starts with MARK. */
export function encodeData(data: AppData): AppData {
  if (typeof data === 'string' || data[0] !== MARK) return data;
  const escaped = new Uint8Array(data.length + 2);
  escaped[0] = MARK;
  escaped[1] = KIND.escaped;
  escaped.set(data, 2);
  return escaped;
}

/** Whether a binary frame is a control frame or escaped data (first byte MARK). */
export function isMarked(frame: AppData): boolean {
  return typeof frame !== 'string' && frame[0] === MARK;
}

/** Reads one received frame. Never throws: a malformed control frame is `invalid`. */
export function decodeFrame(frame: AppData): Decoded {
  if (!isMarked(frame)) return { kind: 'data', data: frame };
  try {
    return decodeControl(frame as Uint8Array);
  } catch {
    return invalid(TOO_LARGE);
  }
}

function decodeControl(bytes: Uint8Array): Decoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = bytes[1];
  const need = (size: number) => bytes.length >= size;
  switch (kind) {
    case KIND.escaped:
      return { kind: 'data', data: bytes.subarray(2) };
    case KIND.hello: {
      if (bytes.length >= 3 && bytes[2] !== PROTOCOL_VERSION) {
        return { kind: 'unsupported', frame: 'hello', version: bytes[2] as number };
      }
      const idLength = bytes[11] ?? 0;
      const newIdLength = bytes[12 + idLength] ?? 0;
      if (!need(13 + idLength) || !need(13 + idLength + newIdLength)) return invalid('short hello');
      const id = readId(bytes, 12, idLength);
      const newId = readId(bytes, 13 + idLength, newIdLength);
      if (id === null || newId === null) return invalid('hello: a session id is not UTF-8');
      if (bytes.length !== 13 + idLength + newIdLength) return invalid('hello: trailing bytes');
      return {
        kind: 'hello',
        version: view.getUint8(2),
        lastReceived: readU64(view, 3),
        sessionId: id,
        newId,
      };
    }
    case KIND.welcome: {
      if (bytes.length >= 3 && bytes[2] !== PROTOCOL_VERSION) {
        return { kind: 'unsupported', frame: 'welcome', version: bytes[2] as number };
      }
      if (!need(22) || !need(22 + (bytes[21] ?? 0))) return invalid('short welcome');
      const outcome = OUTCOMES[view.getUint8(3)];
      const reasonIndex = view.getUint8(4);
      const reason = reasonIndex === 0 ? null : RESET_REASONS[reasonIndex - 1];
      const id = readId(bytes, 22, bytes[21] ?? 0);
      if (!outcome || reason === undefined || id === null)
        return invalid('welcome: unknown outcome or reason');
      if (bytes.length !== 22 + (bytes[21] ?? 0)) return invalid('welcome: trailing bytes');
      return {
        kind: 'welcome',
        version: view.getUint8(2),
        outcome,
        reason,
        lastReceived: readU64(view, 5),
        lastSent: readU64(view, 13),
        sessionId: id,
      };
    }
    case KIND.ack:
    case KIND.seq: {
      if (bytes.length !== 10) return invalid(`${kind === KIND.ack ? 'ack' : 'seq'}: not 10 bytes`);
      return { kind: kind === KIND.ack ? 'ack' : 'seq', seq: readU64(view, 2) };
    }
    default:
      return invalid(`unknown control frame kind ${kind}`);
  }
}

function readId(bytes: Uint8Array, offset: number, length: number): string | null {
  try {
    return decoder.decode(bytes.subarray(offset, offset + length));
  } catch {
    return null;
  }
}

function invalid(message: string): Decoded {
  return { kind: 'invalid', message };
}

/** Node's native UTF-8 length of a string (absent in browsers). */
const nativeByteLength = (globalThis as { Buffer?: { byteLength(text: string): number } }).Buffer?.byteLength;

/** Size of application data in the replay buffer, in bytes: UTF-8 length of text (native in
 * Node, where a JavaScript loop over a 4 KiB string costs microseconds per message), byte length
 * of binary. `fallback` counts text where there is no native count (browsers). */
export function appDataBytes(data: AppData, fallback: (text: string) => number): number {
  if (typeof data !== 'string') return data.byteLength;
  return nativeByteLength ? nativeByteLength(data) : fallback(data);
}
