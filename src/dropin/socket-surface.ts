/**
 * What the drop-in shows of its current (or last) socket, as its recording transport noted it
 * (src/transports/recording-transport.ts): `url`, `protocol`, `extensions`, and how binary
 * messages are delivered (`binaryType`).
 */
import type { RecordingTransport, SocketInfo } from '../transports/recording-transport.js';
import { BINARY_TYPES, type BinaryTypeName } from './binary-type.js';
import { WebSocketStates } from './ready-state.js';

/**
 * The socket's WebSocket fields over the readyState constants and the event target; the base
 * class of ReconnectingWebSocket, whose constructor sets its transport.
 */
export class RecordedSocketSurface extends WebSocketStates {
  /** @internal The transport the links run on, which records each attempt's socket. */
  declare protected transport: RecordingTransport;
  private binary: BinaryTypeName = 'blob';

  /** @internal The current (or last) attempt's socket, as recorded; null before the first. */
  protected get socket(): SocketInfo | null {
    return this.transport.socket;
  }

  /** The URL of the current (or last) socket, as resolved; '' before the first socket (as
   * partysocket's). */
  get url(): string {
    return this.socket?.url ?? '';
  }

  /** Subprotocol the server selected on the current (or last) socket. */
  get protocol(): string {
    return this.socket?.protocol ?? '';
  }

  get extensions(): string {
    return this.socket?.extensions ?? '';
  }

  /** How binary messages are delivered: 'blob' (default), 'arraybuffer' or, in Node, 'nodebuffer'
   * (a browser ignores it, as its WebSocket does). */
  get binaryType(): BinaryTypeName {
    return this.binary;
  }

  set binaryType(value: BinaryTypeName) {
    if (BINARY_TYPES.includes(value)) this.binary = value; // others are ignored, as browsers do
  }
}
