/**
 * `supervisor.off(event, listener)` and `group.off(event, listener)`, as `link.off()`: the same
 * function added with `on()` is removed and never called again, a listener never added is a no-op,
 * an unknown event name throws LV_ERR_UNKNOWN_OPTION naming `event` (the listener meant would stay).
 * Before: neither had `off()` (a TypeError; only `on()`'s returned function removed a listener).
 * Nothing is kept after off() (the emitters hold no listener); real `ws` server on 127.0.0.1 port 0,
 * nothing left after (the harness).
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { thrown } from '../helpers/thrown.js';
import { waitFor } from '../helpers/wait.js';

/** The listeners an emitter holds (a private field: the leak check of off()). */
const held = (owner: object) => (owner as { emitter: { count(): number } }).emitter.count();

describe('off() on a supervisor and a group', () => {
  const h = useHarness();

  it('a listener removed with off() is not called, and nothing of it is kept', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const calls: string[] = [];
    const onUp = () => calls.push('supervisor up');
    const onLink = () => calls.push('supervisor link');
    const onGroupUp = () => calls.push('group up');
    const kept = () => calls.push('kept');
    const before = held(supervisor);
    supervisor.on('up', onUp);
    supervisor.on('link', onLink);
    supervisor.on('up', kept);
    supervisor.off('up', onUp);
    supervisor.off('link', onLink);
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const groupBefore = held(group);
    group.on('up', onGroupUp);
    group.off('up', onGroupUp);
    expect(held(group)).toBe(groupBefore);
    await group.ready();
    await waitFor(() => calls.includes('kept'), { message: "the kept 'up' listener" });
    expect(calls).toEqual(['kept']);
    supervisor.off('up', kept);
    expect(held(supervisor)).toBe(before);
  });

  it('a listener never added: a no-op; an unknown event: LV_ERR_UNKNOWN_OPTION naming event', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const never = () => {};
    expect(() => supervisor.off('down', never)).not.toThrow();
    expect(() => group.off('restart', never)).not.toThrow();
    const link = group.links[0];
    // As the link's off() does, for each owner.
    for (const owner of [link, supervisor, group] as const) {
      const error = thrown(() => (owner as { off(e: string, f: () => void): void }).off('eror', never));
      expect(error).toMatchObject({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'event' });
      expect((error as Error).message).toContain("did you mean 'error'");
    }
    await supervisor.close();
  });
});
