/**
 * The resume protocol's frames (src/resume/frames.ts): application data passes untouched or
 * escaped, control frames round-trip, and no received frame, however malformed, throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appDataBytes,
  decodeFrame,
  encodeAck,
  encodeData,
  encodeHello,
  encodeSeq,
  encodeWelcome,
  MARK,
  PROTOCOL_VERSION,
} from '../../src/resume/frames.js';
import { byteLengthOf } from '../../src/transports/payload.js';

const seq = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const id = fc.string({ maxLength: 40 });

describe('resume frames', () => {
  it('application text is sent as it is, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(encodeData(text)).toBe(text);
        expect(decodeFrame(text)).toEqual({ kind: 'data', data: text });
      }),
    );
  });

  it('application binary round-trips; only binary starting with MARK is escaped (2 bytes more)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const frame = encodeData(bytes) as Uint8Array;
        expect(frame.length).toBe(bytes.length + (bytes[0] === MARK ? 2 : 0));
        if (bytes[0] !== MARK) expect(frame).toBe(bytes);
        const decoded = decodeFrame(frame);
        expect(decoded.kind).toBe('data');
        expect([...(decoded as { data: Uint8Array }).data]).toEqual([...bytes]);
      }),
    );
  });

  it('control frames round-trip', () => {
    fc.assert(
      fc.property(seq, id, fc.string({ minLength: 1, maxLength: 40 }), (n, sessionId, newId) => {
        expect(decodeFrame(encodeAck(n))).toEqual({ kind: 'ack', seq: n });
        expect(decodeFrame(encodeSeq(n))).toEqual({ kind: 'seq', seq: n });
        expect(
          decodeFrame(encodeHello({ version: PROTOCOL_VERSION, sessionId, lastReceived: n, newId })),
        ).toEqual({
          kind: 'hello',
          version: PROTOCOL_VERSION,
          sessionId,
          lastReceived: n,
          newId,
        });
      }),
    );
    fc.assert(
      fc.property(
        seq,
        seq,
        id,
        fc.constantFrom(
          ['new', null] as const,
          ['resumed', null] as const,
          ['reset', 'unknown-session'] as const,
          ['reset', 'overflow'] as const,
          ['reset', 'protocol'] as const,
        ),
        (received, sent, sessionId, [outcome, reason]) => {
          const welcome = {
            version: PROTOCOL_VERSION,
            outcome,
            reason,
            sessionId,
            lastReceived: received,
            lastSent: sent,
          };
          expect(decodeFrame(encodeWelcome(welcome))).toEqual({ kind: 'welcome', ...welcome });
        },
      ),
    );
  });

  it('appDataBytes: the UTF-8 length of text (native in Node, the fallback elsewhere), the length of binary', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(appDataBytes(text, byteLengthOf)).toBe(byteLengthOf(text));
        expect(appDataBytes(text, () => -1)).toBe(Buffer.byteLength(text));
      }),
    );
    expect(appDataBytes(new Uint8Array(7), () => -1)).toBe(7);
  });

  it('an ack is 10 bytes; a hello of two 22-character ids 57', () => {
    expect(encodeAck(1).length).toBe(10);
    expect(
      encodeHello({ version: 1, sessionId: 'a'.repeat(22), lastReceived: 1, newId: 'b'.repeat(22) }).length,
    ).toBe(57);
  });

  it('any bytes after MARK decode to something, never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (tail) => {
        const frame = new Uint8Array(tail.length + 1);
        frame[0] = MARK;
        frame.set(tail, 1);
        expect(() => decodeFrame(frame)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    expect(decodeFrame(new Uint8Array([MARK, 9]))).toEqual({
      kind: 'invalid',
      message: 'unknown control frame kind 9',
    });
    expect(decodeFrame(new Uint8Array([MARK, 1, 2, 0]))).toEqual({
      kind: 'unsupported',
      frame: 'hello',
      version: 2,
    });
  });

  it('a number above 2^53 − 1 (the protocol keeps them below; JavaScript cannot count past) is invalid, in every frame', () => {
    const huge = new Uint8Array([0, 0x40, 0, 0, 0, 0, 0, 1]); // 2^62 + 1
    const withHuge = (frame: Uint8Array, offset: number) => {
      const copy = frame.slice();
      copy.set(huge, offset);
      return copy;
    };
    const welcome = encodeWelcome({
      version: 1,
      outcome: 'resumed',
      reason: null,
      sessionId: 's',
      lastReceived: 0,
      lastSent: 0,
    });
    const hello = encodeHello({ version: 1, sessionId: 's', lastReceived: 0, newId: 'n' });
    for (const frame of [
      withHuge(welcome, 5),
      withHuge(welcome, 13),
      withHuge(hello, 3),
      withHuge(encodeAck(0), 2),
      withHuge(encodeSeq(0), 2),
    ]) {
      expect(decodeFrame(frame)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/2\^53/) });
    }
    const largest = decodeFrame(encodeSeq(Number.MAX_SAFE_INTEGER));
    expect(largest).toEqual({ kind: 'seq', seq: Number.MAX_SAFE_INTEGER });
  });
});
