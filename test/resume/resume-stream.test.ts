/**
 * One side of a session (src/resume/resume-stream.ts): numbering, the bounded replay buffer,
 * cumulative acks by count or by time, duplicates discarded by sequence number, replay.
 */
import { describe, expect, it } from 'vitest';
import { ResumeStream } from '../../src/resume/resume-stream.js';

const acks = { ackEveryMessages: 3, ackDelayMs: 100 };

describe('ResumeStream', () => {
  it('numbers messages from 1 and keeps them until acknowledged; an ack is cumulative', () => {
    const s = new ResumeStream({ maxMessages: 10, maxBytes: 100 }, acks);
    expect([s.record('a', 1).seq, s.record('bb', 2).seq, s.record('ccc', 3).seq]).toEqual([1, 2, 3]);
    expect([s.bufferedMessages, s.bufferedBytesCount]).toEqual([3, 6]);
    expect(s.onAck(2)).toBe(true);
    expect([s.bufferedMessages, s.bufferedBytesCount]).toEqual([1, 3]);
    expect(s.onAck(1)).toBe(true); // an older ack changes nothing
    expect(s.bufferedMessages).toBe(1);
    expect(s.onAck(4)).toBe(false); // never sent
  });

  it('the buffer is bounded by messages and by bytes', () => {
    const s = new ResumeStream({ maxMessages: 2, maxBytes: 5 }, acks);
    expect(s.fits(5)).toBe(true);
    expect(s.fits(6)).toBe(false);
    s.record('abc', 3);
    expect(s.fits(2)).toBe(true);
    expect(s.fits(3)).toBe(false);
    s.record('d', 1);
    expect(s.fits(0)).toBe(false); // two messages
    s.onAck(2);
    expect(s.fits(5)).toBe(true);
  });

  it('acks after ackEveryMessages or ackDelayMs after the first unacknowledged, whichever first', () => {
    const s = new ResumeStream({ maxMessages: 10, maxBytes: 100 }, acks);
    s.startSocket();
    expect(s.onSeq(1)).toBe(true);
    expect(s.onData(1000)).toBe(true);
    expect(s.takeAck(1099)).toBeNull();
    expect(s.ackDueAtMs()).toBe(1100);
    expect(s.takeAck(1100)).toBe(1);
    expect(s.ackDueAtMs()).toBeNull();
    s.onData(2000);
    s.onData(2001);
    expect(s.takeAck(2001)).toBeNull();
    s.onData(2002);
    expect(s.takeAck(2002)).toBe(4); // three since the last ack
    expect(s.takeAck(2002)).toBeNull();
    s.onData(3000);
    expect(s.takeAck(3000, true)).toBe(5);
  });

  it('discards duplicates by sequence number when a peer replays what was delivered', () => {
    const s = new ResumeStream({ maxMessages: 10, maxBytes: 100 }, acks);
    s.startSocket();
    s.onSeq(1);
    expect([s.onData(0), s.onData(0), s.onData(0)]).toEqual([true, true, true]);
    s.startSocket();
    expect(s.onData(0)).toBeNull(); // no seq frame yet on this socket
    expect(s.onSeq(2)).toBe(true); // replays 2 and 3 again, then 4
    expect([s.onData(0), s.onData(0), s.onData(0)]).toEqual([false, false, true]);
    expect(s.receivedSeq).toBe(4);
    expect(s.onSeq(6)).toBe(false); // would skip 5
  });

  it('replays what the peer missed; refuses numbers that are not this session', () => {
    const s = new ResumeStream({ maxMessages: 10, maxBytes: 100 }, acks);
    for (const m of ['a', 'b', 'c', 'd']) s.record(m, 1);
    s.onAck(1);
    expect(s.replayAfter(2)?.map((e) => e.data)).toEqual(['c', 'd']);
    expect(s.replayAfter(1)).toBeNull(); // 2 was acknowledged and is gone
    expect(s.replayAfter(5)).toBeNull(); // never sent
    expect(s.replayAfter(4)).toEqual([]);
  });

  it('reset returns what was never acknowledged and starts numbering again; state round-trips', () => {
    const s = new ResumeStream({ maxMessages: 10, maxBytes: 100 }, acks);
    for (const m of ['a', 'b', 'c']) s.record(m, 1);
    s.onAck(1);
    const copy = ResumeStream.restore(s.state(), s.limits, s.acks);
    expect(copy.state()).toEqual(s.state());
    expect(copy.bufferedBytesCount).toBe(2);
    expect(s.reset().map((e) => e.data)).toEqual(['b', 'c']);
    expect([s.sentSeq, s.receivedSeq, s.bufferedMessages, s.record('x', 1).seq]).toEqual([0, 0, 0, 1]);
  });
});
