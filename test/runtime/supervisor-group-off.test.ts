/**
 * `supervisor.off(event, listener)` and `group.off(event, listener)`, as `link.off()`: the same
 * function added with `on()` is removed and never called again, a listener never added is a no-op,
 * an unknown event name throws LV_ERR_UNKNOWN_OPTION naming `event` (the listener meant would stay).
 * Before: neither had `off()` (a TypeError; only `on()`'s returned function removed a listener).
 * Nothing is kept after off() (the emitters hold no listener); real `ws` server on 127.0.0.1 port 0,
 * nothing left after (the harness). off() during an emit of the same event, by the listener itself
 * or by another, behaves on all three as on the link: the emit under way still calls every listener
 * it started with (as Node's EventEmitter), the next one calls only those left.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
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

  it('off() during an emit (a listener removing itself or another): the same on link, supervisor and group', async () => {
    let connections = 0;
    // The first connection is dropped once ready: every owner emits its event twice (up, down, up).
    const server = await h.wsServer({
      onConnection: (ws: WebSocket) => {
        connections++;
        if (connections === 1) setTimeout(() => ws.terminate(), 20);
      },
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const link = group.links[0];
    if (!link) throw new Error('no link');
    type Owner = { on(event: string, fn: () => void): unknown; off(event: string, fn: () => void): void };
    const seen = new Map<string, string[]>();
    const listen = (name: string, owner: Owner, event: string) => {
      const calls: string[] = [];
      seen.set(name, calls);
      const a = () => {
        calls.push('A');
        owner.off(event, a); // itself
      };
      const b = () => {
        calls.push('B');
        owner.off(event, c); // the next one, in the same emit
      };
      const c = () => calls.push('C');
      const d = () => calls.push('D');
      for (const fn of [a, b, c, d]) owner.on(event, fn);
    };
    listen('link', link as unknown as Owner, 'ready');
    listen('supervisor', supervisor as unknown as Owner, 'up');
    listen('group', group as unknown as Owner, 'up');
    await waitFor(() => [...seen.values()].every((calls) => calls.length >= 6), {
      message: 'every owner emitted twice',
    });
    expect(connections).toBe(2);
    const expected = ['A', 'B', 'C', 'D', 'B', 'D'];
    expect(Object.fromEntries(seen)).toEqual({ link: expected, supervisor: expected, group: expected });
    await supervisor.close();
  });
});
