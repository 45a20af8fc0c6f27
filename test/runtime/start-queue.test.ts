/**
 * The start queue (src/runtime/start-queue.ts): connect() books, the queue starts links in call
 * order off the caller's stack. A handful booked in one go start on the microtask after the
 * caller's code; a mass booking never starts there (the caller's loop held the event loop
 * already) but in slices on later turns, each slice at least one batch and then smaller ones
 * only while its few milliseconds last. While many links are opening, a handful waits for the next
 * turn as well (the links booked during a turn start together).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StartQueue } from '../../src/runtime/start-queue.js';

interface Item {
  linkId: string;
}
const items = (n: number, from = 0): Item[] =>
  Array.from({ length: n }, (_, i) => ({ linkId: `link:${from + i + 1}` }));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const microtasks = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A queue whose starts are recorded batch by batch, with the turn of the loop each ran in. The
 * queue's clock (performance.now) is simulated: each start takes `msPerItem` of it, nothing else
 * does, so the slicing does not depend on how busy the machine is. */
function recorded(msPerItem = 0, opening = () => 0) {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  let turns = 0;
  const batches: { ids: string[]; turn: number }[] = [];
  const queue = new StartQueue<Item>((batch) => {
    batches.push({ ids: batch.map((item) => item.linkId), turn: turns });
    now += msPerItem * batch.length;
  }, opening);
  const started = () => batches.flatMap((batch) => batch.ids);
  const nextTurn = async () => {
    await turn();
    turns++;
  };
  return { queue, batches, started, nextTurn };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('StartQueue', () => {
  it('starts a handful booked in one go together, on the microtask after the caller', async () => {
    const r = recorded();
    for (const item of items(32)) r.queue.push(item);
    expect(r.started()).toEqual([]);
    await microtasks();
    expect(r.batches).toEqual([{ ids: items(32).map((item) => item.linkId), turn: 0 }]);
  });

  it('starts nothing of a mass booking on that microtask: it waits a turn, then starts in call order', async () => {
    const r = recorded();
    for (const item of items(33)) r.queue.push(item);
    await microtasks();
    expect(r.started()).toEqual([]);
    while (r.started().length < 33) await r.nextTurn();
    expect(r.started()).toEqual(items(33).map((item) => item.linkId));
    expect(r.batches.every((batch) => batch.ids.length <= 32)).toBe(true);
  });

  it('ends a slice after the batch that overran its time: slow (cold) starts spread over turns', async () => {
    // Each start takes 1 ms: a slice's first batch (32) outlasts its 5 ms, so every turn starts one.
    const r = recorded(1);
    for (const item of items(70)) r.queue.push(item);
    while (r.started().length < 70) await r.nextTurn();
    expect(r.batches.map((batch) => batch.ids.length)).toEqual([32, 32, 6]);
    expect(new Set(r.batches.map((batch) => batch.turn)).size).toBe(3);
    expect(r.started()).toEqual(items(70).map((item) => item.linkId));
  });

  it('goes on with smaller batches while a slice has time left', async () => {
    // 0.1 ms a start: 32 (3.2 ms), 16 (4.8 ms: under 5, so) 16 more (6.4 ms), then the next turn.
    const r = recorded(0.1);
    for (const item of items(100)) r.queue.push(item);
    while (r.started().length < 100) await r.nextTurn();
    const first = r.batches[0]?.turn ?? 0;
    expect(r.batches.map((batch) => [batch.ids.length, batch.turn - first])).toEqual([
      [32, 0],
      [16, 0],
      [16, 0],
      [32, 1],
      [4, 1],
    ]);
  });

  it('while more than 32 links are opening, a handful booked waits for the next turn and starts with the others of that turn', async () => {
    let opening = 33;
    const r = recorded(0, () => opening);
    r.queue.push({ linkId: 'link:1' });
    await microtasks();
    r.queue.push({ linkId: 'link:2' });
    await microtasks();
    expect(r.started()).toEqual([]);
    await r.nextTurn();
    expect(r.batches).toEqual([{ ids: ['link:1', 'link:2'], turn: 0 }]);
    // 32 opening: a handful starts on the microtask again.
    opening = 32;
    r.queue.push({ linkId: 'link:3' });
    await microtasks();
    expect(r.started()).toEqual(['link:1', 'link:2', 'link:3']);
  });

  it('startThrough starts every link booked up to the one asked for, at once, and the rest later', async () => {
    const r = recorded();
    for (const item of items(100)) r.queue.push(item);
    r.queue.startThrough('link:50');
    expect(r.batches).toEqual([{ ids: items(50).map((item) => item.linkId), turn: 0 }]);
    while (r.started().length < 100) await r.nextTurn();
    expect(r.started()).toEqual(items(100).map((item) => item.linkId));
    r.queue.startThrough();
    expect(r.started()).toHaveLength(100);
  });

  it('books made after a mass booking wait for its slices, in order', async () => {
    const r = recorded();
    for (const item of items(64)) r.queue.push(item);
    await microtasks();
    for (const item of items(3, 64)) r.queue.push(item);
    await microtasks();
    expect(r.started()).toEqual([]);
    while (r.started().length < 67) await r.nextTurn();
    expect(r.started()).toEqual(items(67).map((item) => item.linkId));
  });
});
