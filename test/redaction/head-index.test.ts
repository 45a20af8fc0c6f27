/**
 * The head index the supervisor's scrub looks secrets up in (src/util/secret-index.ts), kept up to
 * date as lists come and go: a secret several lists hold stays until the last of them goes; a
 * head many secrets share (the base64 of `Bearer `) keeps them in a Set once it holds many; an
 * index every list left is empty.
 */
import { describe, expect, it } from 'vitest';
import { HEAD_CHARS, HeadIndex, headIndex } from '../../src/util/secret-index.js';

const found = (index: HeadIndex, head: string) => [...(index.get(head) ?? [])].sort();

describe('HeadIndex', () => {
  it('counts a secret once for each list that holds it', () => {
    const one = ['SharedSecret1', 'OwnSecretOne'];
    const two = ['SharedSecret1', 'OwnSecretTwo'];
    const index = headIndex([one, two]);
    expect(index.size).toBe(3);
    expect(found(index, 'SharedSe')).toEqual(['SharedSecret1']);
    index.remove(one);
    expect(found(index, 'SharedSe')).toEqual(['SharedSecret1']);
    expect(index.get('OwnSecre')).toEqual(['OwnSecretTwo']);
    expect(index.startsAt('x OwnSecretTwo', 2)).toBe(true);
    index.remove(two);
    expect(index.size).toBe(0);
    expect(index.get('SharedSe')).toBeUndefined();
    expect(index.startsAt('OwnSecretTwo', 0)).toBe(false);
    // A list removed again (or never added) changes nothing.
    index.remove(two);
    expect(index.size).toBe(0);
  });

  it('a head 5,000 secrets share: each is found, and all go when their lists go', () => {
    const lists = Array.from({ length: 5_000 }, (_, n) => [`QmVhcmVyIG${n}tokenx`, `own${n}token`]);
    const index = new HeadIndex();
    for (const list of lists) index.add(list);
    const head = 'QmVhcmVyIG0tokenx'.slice(0, HEAD_CHARS);
    expect([...(index.get(head) ?? [])]).toHaveLength(5_000);
    expect([...(index.get(head) ?? [])]).toContain('QmVhcmVyIG4242tokenx');
    for (const list of lists.slice(0, 4_999)) index.remove(list);
    expect([...(index.get(head) ?? [])]).toEqual(['QmVhcmVyIG4999tokenx']);
    index.remove(lists[4_999] as string[]);
    expect(index.size).toBe(0);
    expect(index.get(head)).toBeUndefined();
    expect(index.startsAt('own1token', 0)).toBe(false);
  });
});
