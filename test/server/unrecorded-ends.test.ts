/**
 * The ends a server's store failed to record (./src/server/unrecorded-ends.ts): each answered for
 * one TTL and forgotten at the next note after its deadline, an id noted again included (it moves
 * to the end with its new deadline; kept in place, it stopped the sweep at it, holding the ends
 * after it past their deadlines).
 */
import { describe, expect, it } from 'vitest';
import { UnrecordedEnds } from '../../src/server/unrecorded-ends.js';

describe('UnrecordedEnds', () => {
  it('answers an end for its TTL; an id noted again moves to the end of the sweep', () => {
    const ends = new UnrecordedEnds();
    ends.note('x', undefined, 0, 100);
    ends.note('y', 'overflow', 10, 100);
    ends.note('x', 'overflow', 20, 100);
    expect(ends.answer('y', undefined, 109)).toBe('overflow');
    expect(ends.answer('y', undefined, 110)).toBeUndefined();
    expect(ends.answer('x', undefined, 119)).toBe('overflow');
    ends.note('z', undefined, 115, 100);
    // y (until 110) is forgotten; x (until 120) and z are held.
    expect(ends.size).toBe(2);
    ends.note('w', undefined, 120, 100);
    expect(ends.size).toBe(2);
    expect(ends.answer('x', undefined, 120)).toBeUndefined();
  });
});
