/**
 * `memoryStore()` with records of different TTLs (two servers with different `sessionTtlMs`
 * sharing one store in a process): each record is forgotten once its own deadline passed, at the
 * next write, never before it. Before, the sweep stopped at the first live record in write order,
 * so a short-lived record written after a long-lived one was held until that one's deadline.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionRecord } from '../../src/server/index.js';
import type { Clock } from '../../src/util/clock.js';

/** A clock whose time is `now()` (the store reads nothing else: it holds no timer). */
const at = (now: () => number): Clock => ({ now, setTimeout: () => 0, clearTimeout: () => {} });

const record = (owner: string): SessionRecord => ({ kind: 'overflowed', owner });

describe('memoryStore() with records of different TTLs', () => {
  it('forgets each record past its own deadline at the next write, and none before', () => {
    let nowMs = 0;
    const store = memoryStore({ clock: at(() => nowMs) });
    store.put('long-1', record('a'), 1_000);
    store.put('short', record('b'), 10);
    store.put('long-2', record('a'), 1_000);
    store.put('mid', record('c'), 100);
    nowMs = 20;
    expect(store.size).toBe(3);
    expect(store.get('short')).toBeUndefined();
    nowMs = 150;
    store.put('next', record('b'), 10);
    // 'mid' past its deadline, the long ones not.
    expect(store.size).toBe(3);
    expect(store.get('long-1')).toEqual(record('a'));
    expect(store.get('long-2')).toEqual(record('a'));
    expect(store.get('next')).toEqual(record('b'));
    // A record written again with another TTL keeps only the new one.
    store.put('long-1', record('a'), 10);
    nowMs = 170;
    expect(store.get('long-1')).toBeUndefined();
    expect(store.size).toBe(1);
    nowMs = 999;
    expect(store.get('long-2')).toEqual(record('a'));
    nowMs = 1_000;
    expect(store.size).toBe(0);
  });

  it('deleteOwned and delete forget a record of any TTL; close() forgets all', () => {
    let nowMs = 0;
    const store = memoryStore({ clock: at(() => nowMs) });
    store.put('x', record('a'), 1_000);
    store.put('y', record('b'), 10);
    store.deleteOwned('y', 'a');
    expect(store.get('y')).toEqual(record('b'));
    store.deleteOwned('y', 'b');
    store.delete('x');
    expect(store.size).toBe(0);
    store.put('z', record('a'), 5);
    store.close();
    nowMs = 1;
    expect(store.size).toBe(0);
    expect(store.get('z')).toBeUndefined();
  });
});
