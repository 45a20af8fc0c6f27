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

  it("ramps a queue's first slices up (4, 8, 16, then 32 links): cold starts spread over turns", async () => {
    // Each start takes 1 ms: a first slice of 32 held the loop 32 ms (the queue before this one).
    const r = recorded(1);
    for (const item of items(70)) r.queue.push(item);
    while (r.started().length < 70) await r.nextTurn();
    expect(r.batches.map((batch) => batch.ids.length)).toEqual([4, 8, 16, 32, 10]);
    expect(new Set(r.batches.map((batch) => batch.turn)).size).toBe(5);
    expect(r.started()).toEqual(items(70).map((item) => item.linkId));
  });

  it('goes on with batches sized to the time a slice has left, and ends it when fewer than 8 fit', async () => {
    // 0.125 ms a start: 4 (0.5 ms), 32 (4.5 ms; 4 more fit: too few), the next turn 8 (1 ms) and 32
    // (5 ms), then 16 and the rest (24) within the third turn's 5 ms.
    const r = recorded(0.125);
    for (const item of items(100)) r.queue.push(item);
    while (r.started().length < 100) await r.nextTurn();
    const first = r.batches[0]?.turn ?? 0;
    expect(r.batches.map((batch) => [batch.ids.length, batch.turn - first])).toEqual([
      [4, 0],
      [32, 0],
      [8, 1],
      [32, 1],
      [16, 2],
      [8, 2],
    ]);
  });

  it('once ramped up, a slice starts 32 however slow a start is (a batch is a socket step), then sizes by the cost', async () => {
    // The first 12 starts take 2 ms each (a cold process), the rest 0.125 ms.
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const sizes: number[] = [];
    let done = 0;
    const queue = new StartQueue<Item>(
      (batch) => {
        sizes.push(batch.length);
        for (const _ of batch) now += done++ < 12 ? 2 : 0.125;
      },
      () => 0,
    );
    for (const item of items(200)) queue.push(item);
    while (done < 200) await turn();
    // 4 and 8 cold (8 and 16 ms: no time left), then warm: 16 (2 ms) and the 24 that fit in 3 ms,
    // 32 (4 ms) and 8, …
    expect(sizes.slice(0, 6)).toEqual([4, 8, 16, 24, 32, 8]);
  });

  it('a clock too coarse to see a batch (0 ms) starts batches of 32 and ends', async () => {
    const r = recorded(0);
    for (const item of items(100)) r.queue.push(item);
    while (r.started().length < 100) await r.nextTurn();
    expect(r.batches.map((batch) => batch.ids.length)).toEqual([4, 32, 32, 32]);
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
