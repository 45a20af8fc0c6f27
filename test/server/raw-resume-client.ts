/**
 * A resume client for the server's tests, built from the pure core alone (src/resume) on a raw
 * `ws` socket: no link, no chart. It keeps its session across `connect()` calls, as a link does.
 */
import WebSocket from 'ws';
import { RESUME_DEFAULTS } from '../../machines/policy/resume.js';
import type { AppData } from '../../src/resume/frames.js';
import { type ClientOutcome, ResumeClient } from '../../src/resume/resume-client.js';

let ids = 0;

export class RawResumeClient {
  readonly got: string[] = [];
  readonly outcomes: ClientOutcome[] = [];
  readonly dropped: string[] = [];
  private ws: WebSocket | null = null;
  readonly core: ResumeClient;
  /** Held while the socket is not past its welcome (the runtime's outbound queue). */
  private queue: string[] = [];

  constructor(options: Partial<typeof RESUME_DEFAULTS> = {}) {
    const numbers = { ...RESUME_DEFAULTS, ...options };
    this.core = ResumeClient.createClient(
      numbers,
      numbers,
      {
        write: (frame) => {
          if (this.ws?.readyState !== WebSocket.OPEN) return false;
          this.ws.send(frame);
          return true;
        },
        deliver: (data) => this.got.push(text(data)),
      },
      () => `raw-${process.pid}-${++ids}-${Math.random().toString(36).slice(2)}`,
    );
  }

  /** Opens a socket, says hello; resolves with the outcome of the welcome. */
  connect(url: string): Promise<ClientOutcome> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      this.ws = ws;
      let settled = false;
      ws.on('open', () => ws.send(this.core.hello()));
      ws.on('error', (error) => {
        if (!settled) reject(error);
        settled = true;
      });
      ws.on('close', (code, reason) => {
        this.core.close();
        if (!settled)
          reject(Object.assign(new Error(`closed ${code} ${reason}`), { code, reason: String(reason) }));
        settled = true;
      });
      ws.on('message', (data: Buffer, isBinary) => {
        const outcome = this.core.receiveFrame(
          isBinary ? new Uint8Array(data) : String(data),
          performance.now(),
        );
        this.core.sendAck(performance.now(), false);
        if (!outcome) return;
        this.outcomes.push(outcome);
        if (outcome.outcome === 'reset') for (const e of outcome.dropped) this.dropped.push(text(e.data));
        if (outcome.outcome === 'error') ws.close(1002);
        if (!settled) resolve(outcome);
        settled = true;
        this.flush();
      });
    });
  }

  send(message: string): void {
    this.queue.push(message);
    this.flush();
  }

  /** Writes `frame` on the socket as it is, past the protocol (a hostile or broken client). */
  sendRaw(frame: Uint8Array | string): void {
    this.ws?.send(frame);
  }

  /** Acknowledges what arrived now (as the ack timer would). */
  ack(): void {
    this.core.sendAck(performance.now(), true);
  }

  /** The network drops: no close frame. */
  drop(): void {
    this.ws?.terminate();
    this.core.close();
  }

  /** The network drops without the server noticing (half-open): the socket is left as it is,
   * this client forgets it, and its next `connect()` replaces it on the server. Returns the socket
   * (a test may drop it later: `terminate()`, what the server then sees as the client leaving). */
  leaveHalfOpen(): WebSocket | null {
    const ws = this.ws;
    this.ws = null;
    ws?.removeAllListeners('close');
    ws?.removeAllListeners('message');
    this.core.close();
    return ws;
  }

  close(code = 1000): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.close(code);
    });
  }

  private flush(): void {
    while (this.core.open && this.queue.length > 0) {
      if (this.core.send(this.queue[0] as string, (this.queue[0] as string).length) === 'full') return;
      this.queue.shift();
    }
  }
}

function text(data: AppData): string {
  return typeof data === 'string' ? data : new TextDecoder().decode(data);
}
