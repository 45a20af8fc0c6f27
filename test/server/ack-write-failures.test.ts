/**
 * A durable store whose writes keep failing, under a session whose client keeps sending: each
 * ack window's write fails (no ack goes out; the client keeps its copies). Reported once per run
 * of failures of the session's writes, not once per ack window (before: one `error` per window, a
 * flood at the ack rate); the first write that succeeds ends the run, and the next failure is
 * reported again. Real `ws` server on 127.0.0.1 port 0; the ack delay on a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionStore } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';

describe('ack writes a durable store keeps failing', () => {
  const h = useHarness();

  it('one error per run of failures, again after a write succeeded', async () => {
    const clock = new TestClock();
    const inner = memoryStore({ clock });
    let down = true;
    let puts = 0;
    const store: SessionStore = {
      durable: true,
      get: (id) => inner.get(id),
      put: (id, record, ttlMs) => {
        puts++;
        if (down) throw new Error('store down');
        inner.put(id, record, ttlMs);
      },
      delete: (id) => inner.delete(id),
    };
    const { onA, client, errors } = await oneSessionOnA(h, { store, clock });
    const received: string[] = [];
    onA.on('message', (data) => received.push(String(data)));
    /** The client sends `text`; A's ack window passes: its write made. */
    const window = async (text: string) => {
      const before = puts;
      client.send(text);
      await waitFor(() => received.at(-1) === text, { message: `${text} on A` });
      await clock.advance(100);
      await waitFor(() => puts > before, { message: `the write before ${text}'s ack` });
      // Its failure (reported or not) has settled.
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    for (const text of ['c1', 'c2', 'c3', 'c4']) await window(text);
    expect(errors.map((e) => e.message)).toEqual(['the session store failed to put']);
    down = false;
    await window('c5');
    expect(errors).toHaveLength(1);
    expect(inner.get(onA.id)).toBeDefined();
    down = true;
    await window('c6');
    await window('c7');
    expect(errors).toHaveLength(2);
  });
});
