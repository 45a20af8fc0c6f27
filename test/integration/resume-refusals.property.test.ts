/**
 * The resume protocol's core (src/resume) with a transport that refuses frames at random: a write
 * that says false (nothing written: the socket is not open, it takes nothing more, what waits goes
 * in the next socket's replay) or throws (`refused`: the value cannot go), on a ready socket, in a
 * replay after a reconnect, and for control frames too; frames in flight, or (`sync`) each frame
 * read by the other side inside the write that sends it (its ack comes back inside that write). Whatever the schedule, the server delivers, in order and
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
  /** The next write says false (`shut`: so does every later one on this socket, as ws's does when
   * it is not open; otherwise the socket takes the next frame: the worst case) or throws. */
  | { t: 'refuse'; how: false | 'refused'; shut: boolean }
  /** Every `seq` frame on this socket from now on throws (a transport refusing it for good). */
  | { t: 'refuseSeqs' }
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
      shut: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'reconnect' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'refuseSeqs' as const }) },
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
  refusals: (false | 'refused' | 'shut')[] = [];
  /** The socket said false: it takes nothing more (until the next one). */
  private shut = false;
  /** Every `seq` frame on this socket throws (`refuseSeqs`). */
  private seqsRefused = false;
  /** The socket refused a `seq` frame and the client said it must be replaced (`unwritable`). */
  private replace = false;
  /** `seq` frames refused on the current socket, and the most on any socket: a socket that
   * refuses them is tried once, never again on every later write. */
  private seqRefusals = 0;
  mostSeqRefusals = 0;
  readonly sent: string[] = [];
  readonly got: string[] = [];
  readonly refused: string[] = [];
  readonly client: ResumeClient;
  readonly server: ResumeEndpoint;
  private counter = 0;

  constructor(private sync = false) {
    this.client = ResumeClient.createClient(
      LIMITS,
      ACKS,
      {
        write: (frame) => {
          if (this.shut) return false;
          if (this.seqsRefused && decodeFrame(frame).kind === 'seq') {
            this.mostSeqRefusals = Math.max(this.mostSeqRefusals, ++this.seqRefusals);
            return 'refused';
          }
          const how = this.refusals.shift();
          this.shut = how === 'shut';
          if (how !== undefined) return how !== 'shut' && how;
          this.toServer.push(frame);
          if (this.sync) this.deliver(Number.POSITIVE_INFINITY);
          return true;
        },
        deliver: () => {},
        refused: (data) => this.refused.push(String(data)),
        unwritable: () => {
          this.replace = true;
        },
      },
      () => 'session-1',
    );
    this.server = ResumeEndpoint.create(LIMITS, ACKS, {
      write: (frame) => {
        this.toClient.push(frame);
        if (this.sync) this.deliver(Number.POSITIVE_INFINITY);
        return true;
      },
      deliver: (data) => this.got.push(String(data)),
    });
    this.open('new');
  }

  /** A socket: the hello (not refused here: the runtime fails an attempt whose hello does not go),
   * the server's welcome, each side's replay. */
  private open(outcome: 'new' | 'resumed'): void {
    const sync = this.sync;
    this.sync = false;
    this.shut = false;
    this.seqsRefused = false;
    this.replace = false;
    this.seqRefusals = 0;
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
    this.sync = sync;
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
        this.refusals.push(command.how === false && command.shut ? 'shut' : command.how);
        return;
      case 'refuseSeqs':
        this.seqsRefused = true;
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

  /** No more refusals: a socket that said false, or that refused a `seq` frame, is replaced, a
   * last message, everything delivered, the last ack. */
  settle(): void {
    this.refusals = [];
    this.seqsRefused = false;
    if (this.shut || this.replace) this.run({ t: 'reconnect' });
    this.run({ t: 'send', n: 1 });
    for (let i = 0; i === 0 || (i < 10 && (this.toServer.length > 0 || this.toClient.length > 0)); i++) {
      this.deliver(Number.POSITIVE_INFINITY);
      this.server.sendAck(this.nowMs, true);
    }
  }
}

describe('resume core: a transport that refuses frames at random', () => {
  it.each([
    ['frames in flight', false],
    ['each frame read inside its write', true],
  ])(
    '%s: each message delivered once in order or reported refused once; nothing kept once acknowledged',
    (_, sync) => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
          const pipe = new RefusingPipe(sync);
          for (const c of commands) pipe.run(c);
          pipe.settle();
          expect(pipe.got).toEqual(pipe.sent.filter((m) => !pipe.refused.includes(m)));
          for (const m of pipe.refused) expect(pipe.refused.filter((x) => x === m).length).toBe(1);
          expect(pipe.server.stream.receivedSeq).toBe(pipe.got.length);
          expect(pipe.client.stream.sentSeq).toBe(pipe.got.length);
          expect(pipe.client.stream.bufferedMessages).toBe(0);
          expect(pipe.mostSeqRefusals).toBeLessThanOrEqual(1);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each([
    ['frames in flight', false],
    ['each frame read inside its write', true],
  ])(
    '%s, then the session ends (close): each message delivered or reported, none reported twice',
    (_, sync) => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
          const pipe = new RefusingPipe(sync);
          for (const c of commands) pipe.run(c);
          // What end() returns is reported `dropped` (closed): unacknowledged, maybe received.
          const closed = pipe.client.end().map((entry) => String(entry.data));
          const got = pipe.got;
          expect(got).toEqual(pipe.sent.filter((m) => got.includes(m)));
          for (const m of pipe.sent) {
            const reports = pipe.refused.filter((x) => x === m).length + closed.filter((x) => x === m).length;
            expect(reports, m).toBe(got.includes(m) ? (closed.includes(m) ? 1 : 0) : 1);
          }
          expect(pipe.client.stream.bufferedMessages).toBe(0);
        }),
        { numRuns: 300 },
      );
    },
  );
});
