/**
 * `supervisor.closed` is true from the very start of close() and terminate(): a listener that
 * either runs synchronously (a booked link started by close(), its `state`; a ready link's
 * `state`, `lost` and `closed` during terminate()) reads true, and a close() or terminate() it calls
 * gets the closing under way (one settling, one `closed` event). Before, `closed` turned true only
 * after the socket actor had been told (those listeners read false), and a close() called from
 * such a listener began a second settling. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('supervisor.closed inside close() and terminate()', () => {
  const h = useHarness();

  const countClosed = (supervisor: Supervisor) => {
    const closed = { events: 0 };
    supervisor.on('closed', () => closed.events++);
    return closed;
  };

  it('close(): a booked link started by close() sees closed in its state listener; its close() joins', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const closed = countClosed(supervisor);
    // Booked, not started yet: close() starts it (its first state change runs inside close()).
    const link = supervisor.connect(server.url);
    const seen: boolean[] = [];
    const inner: Promise<void>[] = [];
    link.on('state', () => {
      seen.push(supervisor.closed);
      inner.push(supervisor.close());
    });
    const closing = supervisor.close();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toBe(true);
    expect(inner[0]).toBe(closing);
    await closing;
    expect(seen.every(Boolean)).toBe(true);
    expect(new Set(inner)).toEqual(new Set([closing]));
    expect(closed.events).toBe(1);
  });

  it("terminate(): a ready link's state, lost and closed listeners see closed; their terminate() and close() join", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const closed = countClosed(supervisor);
    const link = supervisor.connect(server.url);
    await link.ready();
    const seen: string[] = [];
    const inner: Promise<void>[] = [];
    for (const event of ['state', 'lost', 'closed'] as const) {
      link.on(event, () => {
        seen.push(`${event}:${supervisor.closed}`);
        inner.push(supervisor.terminate(), supervisor.close());
      });
    }
    const ending = supervisor.terminate();
    // They ran inside terminate(): the socket was terminated there.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((entry) => entry.endsWith(':false'))).toEqual([]);
    await ending;
    expect(seen).toContain('closed:true');
    expect(new Set(inner)).toEqual(new Set([ending]));
    expect(closed.events).toBe(1);
  });
});
