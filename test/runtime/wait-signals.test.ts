/**
 * `supervisor.whenUp({ signal })` and `group.ready({ signal })` take a signal as `link.ready()`
 * does (src/runtime/ready-waiters.ts's abortableWait): before, the argument was silently ignored
 * and a call waiting through an outage could not be given up on (it hung until close). An aborted
 * signal rejects LV_ERR_ABORTED, its reason the cause, at once whatever the state; a misspelt key or
 * a signal passed bare is refused. A settled call leaves nothing: no abort listener on the signal,
 * no `up` listener, no handler on the members' ends (collected after a full GC). `link.ready()`:
 * many calls with one aborted signal, and a signal aborted during the link's ready step, leave no
 * listener and no waiter. Real ws servers on 127.0.0.1, port 0.
 */
import { getEventListeners } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { waitFor } from '../helpers/wait.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const listenersOf = (supervisor: Supervisor) =>
  (supervisor as unknown as { emitter: { count(): number } }).emitter.count();

describe('whenUp({ signal }) and group.ready({ signal })', () => {
  const h = useHarness();

  async function down() {
    // Refused: a port kept for the test (kept-port.ts), nobody else's while the links retry.
    const url = (await h.keptPort()).url();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    return { supervisor, url };
  }

  it('whenUp(): a signal aborted while waiting rejects LV_ERR_ABORTED (was ignored: hung)', async () => {
    const { supervisor, url } = await down();
    supervisor.connect(url);
    const before = listenersOf(supervisor);
    const controller = new AbortController();
    const call = settled(supervisor.whenUp({ signal: controller.signal }));
    const reason = new Error('gave up');
    setTimeout(() => controller.abort(reason), 50);
    expect(await call).toEqual({ outcome: 'LV_ERR_ABORTED', cause: reason });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(listenersOf(supervisor)).toBe(before);
  });

  it('whenUp(): an aborted signal rejects at once, up or closed; null is none; bad options refused', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    await supervisor.connect(server.url).ready();
    const reason = new Error('late');
    const signal = AbortSignal.abort(reason);
    expect(await settled(supervisor.whenUp({ signal }))).toEqual({
      outcome: 'LV_ERR_ABORTED',
      cause: reason,
    });
    expect((await settled(supervisor.whenUp({ signal: null }))).outcome).toBe('resolved');
    expect(() => supervisor.whenUp({ sigal: signal } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION' }),
    );
    expect(() => supervisor.whenUp(signal as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'options' }),
    );
    expect(() => supervisor.whenUp({ signal: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'signal' }),
    );
    await supervisor.close();
    expect((await settled(supervisor.whenUp({ signal }))).outcome).toBe('LV_ERR_ABORTED');
    expect((await settled(supervisor.whenUp())).outcome).toBe('LV_ERR_SUPERVISOR_CLOSED');
  });

  it('whenUp(): a waiting call with a live signal still rejects on close, and unhooks the signal', async () => {
    const { supervisor, url } = await down();
    supervisor.connect(url);
    const controller = new AbortController();
    const call = settled(supervisor.whenUp({ signal: controller.signal }));
    await supervisor.close();
    expect((await call).outcome).toBe('LV_ERR_SUPERVISOR_CLOSED');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('group.ready(): aborted while waiting, at once, bad options; aborted calls are collected', async () => {
    const { supervisor, url } = await down();
    const group = supervisor.connectGroup([url, url], { id: 'g' });
    const controller = new AbortController();
    const refs: WeakRef<Promise<unknown>>[] = [];
    const outcomes: string[] = [];
    const wait = async () => {
      const calls = Array.from({ length: 50 }, () => group.ready({ signal: controller.signal }));
      for (const call of calls) refs.push(new WeakRef(call));
      setTimeout(() => controller.abort(new Error('enough')), 50);
      for (const call of calls) outcomes.push((await settled(call)).outcome);
    };
    await wait();
    expect(new Set(outcomes)).toEqual(new Set(['LV_ERR_ABORTED']));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await waitFor(
      () => {
        gc();
        return refs.every((ref) => ref.deref() === undefined);
      },
      { message: 'every aborted group.ready() promise collected' },
    );
    const reason = new Error('at once');
    expect(await settled(group.ready({ signal: AbortSignal.abort(reason) }))).toEqual({
      outcome: 'LV_ERR_ABORTED',
      cause: reason,
    });
    expect(() => group.ready({ sigal: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION' }),
    );
    // The group still ends its waiting calls when it can no longer be up.
    const live = settled(group.ready({ signal: new AbortController().signal }));
    await group.close();
    expect((await live).outcome).toBe('LV_ERR_LINK_CLOSED');
    expect((await settled(group.ready())).outcome).toBe('LV_ERR_LINK_CLOSED');
  });

  it('group.ready(): an up group resolves with its link; an aborted signal still rejects', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const group = supervisor.connectGroup([server.url], { id: 'up' });
    const link = await group.ready({ signal: new AbortController().signal });
    expect(link.state).toBe('ready');
    expect((await settled(group.ready({ signal: AbortSignal.abort() }))).outcome).toBe('LV_ERR_ABORTED');
  });
});

describe('link.ready({ signal }) leaves nothing', () => {
  const h = useHarness();

  it('many calls with one aborted signal: no listener, no waiter', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url);
    const signal = AbortSignal.abort();
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => settled(link.ready({ signal }))));
    expect(new Set(outcomes.map((o) => o.outcome))).toEqual(new Set(['LV_ERR_ABORTED']));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect((link as unknown as { waiters: unknown }).waiters).toBeNull();
    await link.ready();
  });

  for (const when of ['connecting', 'ready'] as const) {
    it(`a signal aborted from a 'state' listener as the link enters ${when}`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      const link = supervisor.connect(server.url);
      const controller = new AbortController();
      link.on('state', ({ to }) => {
        if (to === when) controller.abort();
      });
      const calls = Array.from({ length: 20 }, () => settled(link.ready({ signal: controller.signal })));
      const outcomes = new Set((await Promise.all(calls)).map((o) => o.outcome));
      // Waiters settle with the step that made the link ready, before its listeners.
      expect(outcomes).toEqual(new Set([when === 'ready' ? 'resolved' : 'LV_ERR_ABORTED']));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect((link as unknown as { waiters: unknown }).waiters).toBeNull();
    });
  }
});
