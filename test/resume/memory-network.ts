/**
 * A client and a server speaking the resume protocol through the pure core (src/resume), over an
 * in-memory socket whose frames in flight are lost when it drops, on a simulated clock. Commands
 * move it one step; `settle()` reconnects and runs until nothing moves. What each side sent,
 * received and was told it lost is recorded for the properties.
 */
import type { AckOptions, ResumeLimits } from '../../machines/policy/resume.js';
import { answerHello, readHello } from '../../src/resume/answer-hello.js';
import { type AppData, decodeFrame as decode } from '../../src/resume/frames.js';
import { type ClientOutcome, ResumeClient } from '../../src/resume/resume-client.js';
import { ResumeEndpoint } from '../../src/resume/resume-endpoint.js';
import type { ResumeStream } from '../../src/resume/resume-stream.js';

export type Command =
  | { t: 'clientSend'; n: number }
  | { t: 'serverSend'; n: number }
  | { t: 'toClient'; k: number }
  | { t: 'toServer'; k: number }
  | { t: 'drop' }
  | { t: 'connect' }
  | { t: 'tick'; ms: number }
  | { t: 'serverRestart' };

/** A message's text; binary messages that started with the MARK byte lose it (it was added). */
function text(data: AppData): string {
  if (typeof data === 'string') return data;
  return new TextDecoder().decode(data[0] === 0xf5 ? data.subarray(1) : data);
}

export class MemoryNetwork {
  nowMs = 0;
  toServer: AppData[] = [];
  toClient: AppData[] = [];
  connected = false;
  readonly clientSent: string[] = [];
  readonly serverSent: string[] = [];
  readonly clientGot: string[] = [];
  readonly serverGot: string[] = [];
  /** Messages the client was told were not confirmed (a reset). */
  readonly clientDropped: string[] = [];
  readonly outcomes: ClientOutcome[] = [];
  /** Held while the client's socket is not open or its replay buffer is full (the runtime's
   * outbound queue). */
  private clientQueue: string[] = [];
  /** Held while the server has no session or its buffer is full. */
  private serverQueue: string[] = [];
  readonly client: ResumeClient;
  private sessions = new Map<string, ResumeStream>();
  private server: ResumeEndpoint | null = null;
  private awaitingHello = false;
  private ids = 0;
  private counter = 0;

  constructor(
    private readonly limits: ResumeLimits,
    private readonly acks: AckOptions,
    /** Binary messages too (every third), to cover the escape of MARK-led binary. */
    private readonly binary = true,
  ) {
    this.client = ResumeClient.createClient(
      limits,
      acks,
      {
        write: (frame) => this.connected && this.toServer.push(frame) > 0,
        deliver: (data) => this.clientGot.push(text(data)),
      },
      () => `id${++this.ids}`,
    );
  }

  run(command: Command): void {
    switch (command.t) {
      case 'clientSend':
        for (let i = 0; i < command.n; i++) {
          const message = `c${this.counter++}`;
          this.clientSent.push(message);
          this.clientQueue.push(message);
        }
        this.flushClient();
        return;
      case 'serverSend':
        for (let i = 0; i < command.n; i++) {
          const message = `s${this.counter++}`;
          this.serverSent.push(message);
          this.serverQueue.push(message);
        }
        this.flushServer();
        return;
      case 'toClient':
        for (let i = 0; i < command.k && this.toClient.length > 0; i++) this.deliverToClient();
        return;
      case 'toServer':
        for (let i = 0; i < command.k && this.toServer.length > 0; i++) this.deliverToServer();
        return;
      case 'drop':
        this.drop();
        return;
      case 'connect':
        this.connect();
        return;
      case 'tick':
        this.nowMs += command.ms;
        this.client.sendAck(this.nowMs, false);
        this.server?.sendAck(this.nowMs, false);
        return;
      case 'serverRestart':
        this.drop();
        this.sessions = new Map();
        this.server = null;
        return;
    }
  }

  /** Reconnects if needed and runs until no frame, queue or ack is left (bounded). */
  settle(): void {
    for (let round = 0; round < 10_000; round++) {
      if (!this.connected) this.connect();
      if (this.toServer.length > 0) this.deliverToServer();
      else if (this.toClient.length > 0) this.deliverToClient();
      else if (this.clientQueue.length > 0 || this.serverQueue.length > 0 || this.acksPending()) {
        this.run({ t: 'tick', ms: this.acks.ackDelayMs });
        this.flushClient();
        this.flushServer();
        if (this.toServer.length + this.toClient.length === 0 && !this.acksPending()) {
          if (this.clientQueue.length > 0 || this.serverQueue.length > 0) continue;
        }
      } else return;
    }
    throw new Error('the network did not settle');
  }

  private acksPending(): boolean {
    return this.client.stream.unacknowledgedIn > 0 || (this.server?.stream.unacknowledgedIn ?? 0) > 0;
  }

  private payload(message: string, index: number): AppData {
    // Every third message binary; one in two of those starts with the control MARK (0xF5).
    if (!this.binary || index % 3 !== 0) return message;
    const bytes = new TextEncoder().encode(message);
    if (index % 2 === 0) return bytes;
    const marked = new Uint8Array(bytes.length + 1);
    marked[0] = 0xf5;
    marked.set(bytes, 1);
    return marked;
  }

  private flushClient(): void {
    while (this.client.open && this.clientQueue.length > 0) {
      const message = this.clientQueue[0] as string;
      const data = this.payload(message, Number(message.slice(1)));
      if (this.client.send(data, typeof data === 'string' ? data.length : data.length) === 'full') return;
      this.clientQueue.shift();
    }
  }

  private flushServer(): void {
    const server = this.server;
    while (server && this.serverQueue.length > 0) {
      const message = this.serverQueue[0] as string;
      const data = this.payload(message, Number(message.slice(1)));
      if (server.send(data, typeof data === 'string' ? data.length : data.length) === 'full') return;
      this.serverQueue.shift();
    }
  }

  private connect(): void {
    if (this.connected) return;
    this.connected = true;
    this.toServer = [this.client.hello()];
    this.toClient = [];
    this.awaitingHello = true;
  }

  private drop(): void {
    this.connected = false;
    this.toServer = [];
    this.toClient = [];
    this.client.close();
    this.server?.close();
  }

  private deliverToServer(): void {
    const frame = this.toServer.shift() as AppData;
    if (this.awaitingHello) {
      this.awaitingHello = false;
      const hello = readHello(frame);
      if ('message' in hello) throw new Error(hello.message);
      const answer = answerHello(hello, (id) => this.sessions.get(id), this.limits, this.acks);
      if (answer.sessionId !== hello.sessionId) this.sessions.delete(hello.sessionId);
      this.sessions.set(answer.sessionId, answer.stream);
      this.server = new ResumeEndpoint(answer.stream, {
        write: (f) => this.connected && this.toClient.push(f) > 0,
        deliver: (data) => this.serverGot.push(text(data)),
      });
      this.toClient.push(answer.welcome);
      this.server.startSending(answer.replay);
      this.flushServer();
      return;
    }
    const broken = this.server?.receive(decode(frame), this.nowMs);
    if (broken) throw new Error(`server: ${broken}`);
    this.flushServer();
  }

  private deliverToClient(): void {
    const frame = this.toClient.shift() as AppData;
    const outcome = this.client.receiveFrame(frame, this.nowMs);
    if (outcome) {
      this.outcomes.push(outcome);
      if (outcome.outcome === 'error') throw new Error(`client: ${outcome.message}`);
      if (outcome.outcome === 'reset')
        for (const entry of outcome.dropped) this.clientDropped.push(text(entry.data));
    }
    this.flushClient();
  }
}
