/**
 * The resume protocol's core (src/resume) with a transport that refuses frames at random: a write
 * that says false (nothing written; the socket stays open, the worst case: a transport may not
 * close it) or throws (`refused`: the value cannot go), on a ready socket, in a replay after a
 * reconnect, and for control frames too. Whatever the schedule, the server delivers, in order and
 * once, every message the client sent except those refused, each refused message is reported to
 * the client once and never delivered, and once everything is written and acknowledged the
 * client keeps nothing: numbering never lies (docs/resume.md, "A frame the transport refuses").
 * Before round 38 (i38resume) a refusal let the next frame take the refused message's number on
 * the server: messages were delivered in its place, acknowledged for it, and never reported.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AppData, decodeFrame, encodeWelcome, PROTOCOL_VERSION } from '../../src/resume/frames.js';
import { ResumeClient } from '../../src/resume/resume-client.js';
import { ResumeEndpoint } from '../../src/resume/resume-endpoint.js';

type Command =
  | { t: 'send'; n: number }
  | { t: 'deliver'; k: number }
  | { t: 'refuse'; how: false | 'refused' }
  | { t: 'reconnect' }
  | { t: 'tick'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('send' as const), n: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('deliver' as const), k: fc.integer({ min: 1, max: 8 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('refuse' as const),
      how: fc.constantFrom(false as const, 'refused' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'reconnect' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 150 }) }),
  },
);

const LIMITS = { maxBytes: 1 << 20, maxMessages: 10_000 };
const ACKS = { ackEveryMessages: 3, ackDelayMs: 50 };

/** A client and a server endpoint over one in-memory socket at a time (frames in flight are lost
 * at a reconnect); the client's next writes are refused as the commands say. */
class RefusingPipe {
  nowMs = 0;
  toServer: AppData[] = [];
  toClient: AppData[] = [];
  /** How the next client writes go: each entry is used once (then written). */
  refusals: (false | 'refused')[] = [];
  readonly sent: string[] = [];
  readonly got: string[] = [];
  readonly refused: string[] = [];
  readonly client: ResumeClient;
  readonly server: ResumeEndpoint;
  private counter = 0;

  constructor() {
    this.client = ResumeClient.createClient(
      LIMITS,
      ACKS,
      {
        write: (frame) => {
          const how = this.refusals.shift();
          if (how !== undefined) return how;
          this.toServer.push(frame);
          return true;
        },
        deliver: () => {},
        refused: (data) => this.refused.push(String(data)),
      },
      () => 'session-1',
    );
    this.server = ResumeEndpoint.create(LIMITS, ACKS, {
      write: (frame) => this.toClient.push(frame) > 0,
      deliver: (data) => this.got.push(String(data)),
    });
    this.open('new');
  }

  /** A socket: the hello (not refused here: the runtime fails an attempt whose hello does not go),
   * the server's welcome, each side's replay. */
  private open(outcome: 'new' | 'resumed'): void {
    this.toServer = [];
    this.toClient = [];
    this.client.hello();
    const stream = this.server.stream;
    stream.startSocket();
    const welcome = encodeWelcome({
      version: PROTOCOL_VERSION,
      outcome,
      reason: null,
      sessionId: 'session-1',
      lastReceived: stream.receivedSeq,
      lastSent: stream.sentSeq,
    });
    this.server.startSending([]);
    this.toClient = [];
    const result = this.client.receiveFrame(welcome, this.nowMs);
    expect(result?.outcome).toBe(outcome);
  }

  run(command: Command): void {
    switch (command.t) {
      case 'send':
        for (let i = 0; i < command.n; i++) {
          const message = `m${this.counter++}`;
          this.sent.push(message);
          const outcome = this.client.send(message, message.length);
          expect(outcome).not.toBe('full');
        }
        return;
      case 'deliver':
        this.deliver(command.k);
        return;
      case 'refuse':
        this.refusals.push(command.how);
        return;
      case 'reconnect':
        this.client.close();
        this.server.close();
        this.open('resumed');
        return;
      case 'tick':
        this.nowMs += command.ms;
        this.server.sendAck(this.nowMs, false);
        return;
    }
  }

  /** Moves up to `k` frames each way. */
  private deliver(k: number): void {
    for (const frame of this.toServer.splice(0, k)) {
      expect(this.server.receive(decodeFrame(frame), this.nowMs)).toBeNull();
    }
    for (const frame of this.toClient.splice(0, k)) {
      expect(this.client.receiveFrame(frame, this.nowMs)).toBeNull();
    }
  }

  /** No more refusals: a last message (its write takes what waits), everything delivered, the
   * last ack. */
  settle(): void {
    this.refusals = [];
    this.run({ t: 'send', n: 1 });
    for (let i = 0; i < 10 && (this.toServer.length > 0 || this.toClient.length > 0); i++) {
      this.deliver(Number.POSITIVE_INFINITY);
      this.server.sendAck(this.nowMs, true);
    }
  }
}

describe('resume core: a transport that refuses frames at random', () => {
  it('each message delivered once in order or reported refused once; nothing kept once acknowledged', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const pipe = new RefusingPipe();
        for (const c of commands) pipe.run(c);
        pipe.settle();
        expect(pipe.got).toEqual(pipe.sent.filter((m) => !pipe.refused.includes(m)));
        for (const m of pipe.refused) expect(pipe.refused.filter((x) => x === m).length).toBe(1);
        expect(pipe.server.stream.receivedSeq).toBe(pipe.got.length);
        expect(pipe.client.stream.sentSeq).toBe(pipe.got.length);
        expect(pipe.client.stream.bufferedMessages).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
