/**
 * What an idle link keeps (issue 11, BENCHMARKS.md round 9): a link nobody listens to relays no
 * lifecycle events (no XState `'*'` listener on its actor), and has no emitter or outbound queue
 * until it needs one; `ready()` settles by the link's own steps. A listener added later still
 * hears every lifecycle event from then on. Structural assertions, no heap or timing bounds.
 */
import { describe, expect, it } from 'vitest';
import type { Link, LinkvisorError } from '../../src/index.js';
import { memoryWorld, untilOnClock } from '../helpers/clock-run.js';

interface Internals {
  wire: { emitterRef: unknown; queueRef: unknown };
  actor: {
    eventListeners: Map<string, Set<unknown>>;
    observers: Set<{ next?: unknown; complete?: unknown }>;
  };
}

const internals = (link: Link) => link as unknown as Internals;

describe('an idle link', () => {
  it('that nobody listens to keeps no lifecycle relay, emitter or queue; ready() still settles', async () => {
    const { clock, supervisor } = memoryWorld('mem://svc');
    const links = [supervisor.connect('mem://svc'), supervisor.connect('mem://svc')];
    let ready = 0;
    for (const link of links) void link.ready().then(() => ready++);
    await untilOnClock(clock, () => ready === 2, 'both ready');
    for (const link of links) {
      expect(internals(link).actor.eventListeners.size).toBe(0);
      // A shard's link ends in its final state (nothing stops it from outside): its observer has
      // no `complete`, which XState would bind (BENCHMARKS.md round 13).
      const observers = [...internals(link).actor.observers];
      expect(observers).toHaveLength(1);
      expect(observers[0]?.next).toBeTypeOf('function');
      expect(observers[0]?.complete).toBeUndefined();
      expect(internals(link).wire.emitterRef).toBeNull();
      expect(internals(link).wire.queueRef).toBeNull();
      expect(link.status()).toMatchObject({ state: 'ready', queue: { messages: 0, bytes: 0 } });
      expect(link.status().readySince).not.toBeNull();
    }
    await supervisor.close();
    await expect(links[0]?.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_CLOSED' });
  });

  it('hears every lifecycle event once it gets a listener, in order after its state event', async () => {
    const { clock, server, supervisor } = memoryWorld('mem://svc');
    const link = supervisor.connect('mem://svc');
    await untilOnClock(clock, () => link.state === 'ready', 'ready');
    const seen: string[] = [];
    link.on('state', ({ to }) => seen.push(`state:${to}`));
    for (const type of ['lost', 'reconnecting', 'ready'] as const) link.on(type, () => seen.push(type));
    expect(internals(link).actor.eventListeners.has('*')).toBe(true);
    server.dropAll(1006);
    await untilOnClock(clock, () => seen.includes('ready'), 'ready again');
    expect(seen).toEqual(['state:reconnecting', 'lost', 'reconnecting', 'state:ready', 'ready']);
    await supervisor.close();
  });

  it('ready() rejects when the link is closed or fails first, without listeners', async () => {
    const { clock, supervisor } = memoryWorld('mem://svc', false);
    const closed = supervisor.connect('mem://nobody', { backoff: { initialDelayMs: 100 } });
    const waiting = closed.ready();
    await untilOnClock(clock, () => closed.state === 'reconnecting', 'refused');
    void closed.close();
    await expect(waiting).rejects.toMatchObject({ code: 'LV_ERR_LINK_CLOSED' });
    const failing = supervisor.connect('mem://nobody', { backoff: { maxAttempts: 1 } });
    const failed = failing.ready().catch((error: LinkvisorError) => error.code);
    await untilOnClock(clock, () => failing.state === 'failed', 'failed');
    expect(await failed).toBe('LV_ERR_LINK_FAILED');
    await supervisor.close();
  });
});
