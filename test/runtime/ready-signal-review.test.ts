/**
 * `link.ready({ signal })` after the argument check (review of i26hunt): the check refuses no
 * signal that worked before or that `fetch` takes (`signal: null` is none; a duck-typed signal
 * with `aborted` and `addEventListener` but no `removeEventListener`), a signal whose getter
 * throws rejects that call (LV_ERR_INVALID_OPTION, `signal`) instead of throwing a raw error out
 * of `ready()`, a signal that cannot unhook the call's abort listener never settles it twice
 * (an abort long after it resolved dropped the link's later `ready()` calls: they hung), and a
 * signal aborted by a `state` / `ready` listener of the very step that made the link ready does
 * not reject the call that step settles; the calls of 12 links waiting on one signal hold one abort
 * listener on it (12 before, and Node's MaxListenersExceededWarning). Also held (no change needed): an already-aborted signal,
 * one signal for many calls on several links, a signal of another realm, ready() on an ended
 * link, and no abort listener left on the signal once a call settles. Real `ws` server on loopback.
 */
import { getEventListeners } from 'node:events';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { sleep } from '../helpers/wait.js';

/** Bounded: a `ready()` that never settles reads 'hung' instead of hanging the test. */
function outcome(promise: Promise<unknown>, ms = 5_000): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  const settled = promise.then(
    () => 'resolved',
    (error: LinkvisorError) => `${error.code}${error.option ? ` ${error.option}` : ''}`,
  );
  return Promise.race([settled, limit]).finally(() => clearTimeout(timer));
}

/** `ready()`'s outcome, or what it threw at the call. */
function call(run: () => Promise<void>): Promise<string> {
  try {
    return outcome(run());
  } catch (error) {
    const e = error as LinkvisorError;
    return Promise.resolve(`threw ${e.code ?? e.message}`);
  }
}

/** A duck-typed signal (a polyfill's), counting the abort listeners it holds. */
function duckSignal(options: { remove?: 'works' | 'absent' | 'throws' } = {}) {
  const listeners = new Set<() => void>();
  const signal = {
    aborted: false,
    addEventListener(_type: string, listener: () => void) {
      listeners.add(listener);
    },
    abort() {
      signal.aborted = true;
      for (const listener of [...listeners]) listener();
    },
    listeners,
  } as { aborted: boolean; abort(): void; listeners: Set<() => void> } & Record<string, unknown>;
  const remove = options.remove ?? 'works';
  if (remove === 'works') signal.removeEventListener = (_: string, l: () => void) => listeners.delete(l);
  if (remove === 'throws')
    signal.removeEventListener = () => {
      throw new Error('remove');
    };
  return signal;
}

/** Drops `link` (its server ends the socket) and runs `then` in the step that leaves ready:
 * synchronously, so the link is surely not ready yet, however busy the machine. */
function whenDropped<T>(
  link: { on(event: 'state', listener: (change: { to: string }) => void): () => void },
  server: { clients: Set<{ terminate(): void }> },
  then: () => T,
): Promise<T> {
  return new Promise<T>((resolve) => {
    const off = link.on('state', ({ to }) => {
      if (to === 'ready') return;
      off();
      resolve(then());
    });
    for (const client of server.clients) client.terminate();
  });
}

describe('link.ready({ signal }): what the check must still take, and settling once', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  async function connecting() {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url);
    return { server, supervisor, link };
  }

  it('signal: null is no signal (as fetch takes it, and as ready() took it before the check)', async () => {
    const { supervisor, link } = await connecting();
    expect(await call(() => link.ready({ signal: null as never }))).toBe('resolved');
    expect(await call(() => link.ready({ signal: null as never }))).toBe('resolved');
    await supervisor.close();
    expect(stray).toEqual([]);
  });

  it('a duck-typed signal without removeEventListener (fetch takes it): waits, aborts, resolves', async () => {
    const { supervisor, link } = await connecting();
    const aborting = duckSignal({ remove: 'absent' });
    const waiting = call(() => link.ready({ signal: aborting as never }));
    aborting.abort();
    expect(await waiting).toBe('LV_ERR_ABORTED');
    expect(await call(() => link.ready({ signal: duckSignal({ remove: 'absent' }) as never }))).toBe(
      'resolved',
    );
    await supervisor.close();
    await sleep(20);
    expect(stray).toEqual([]);
  });

  it('a signal whose addEventListener getter throws: that call rejects naming signal, the others resolve', async () => {
    const { supervisor, link } = await connecting();
    const signal = {
      aborted: false,
      get addEventListener(): never {
        throw new Error('getter');
      },
      removeEventListener() {},
    };
    const hostile = call(() => link.ready({ signal: signal as never }));
    const plain = outcome(link.ready());
    expect(await hostile).toBe('LV_ERR_INVALID_OPTION signal');
    expect(await plain).toBe('resolved');
    await supervisor.close();
    await sleep(20);
    expect(stray).toEqual([]);
  });

  it.each(['absent', 'throws'] as const)(
    'removeEventListener %s: an abort after the call resolved does not drop later ready() calls',
    async (remove) => {
      const { server, supervisor, link } = await connecting();
      const signal = duckSignal({ remove });
      expect(await call(() => link.ready({ signal: signal as never }))).toBe('resolved');
      // The link drops and reconnects; a plain ready() waits meanwhile.
      const later = await whenDropped(link, server, () => {
        const waiting = outcome(link.ready());
        signal.abort(); // the stale abort listener of the first call runs now
        return waiting;
      });
      expect(await later).toBe('resolved');
      expect(link.state).toBe('ready');
      await supervisor.close();
      await sleep(20);
      expect(stray).toEqual([]);
    },
  );

  it.each(['state', 'ready'] as const)(
    'a signal aborted by a %s listener as the link becomes ready: that call resolves',
    async (event) => {
      const { supervisor, link } = await connecting();
      const controller = new AbortController();
      link.on(event, () => {
        if (link.state === 'ready') controller.abort();
      });
      const waiting = outcome(link.ready({ signal: controller.signal }));
      expect(await waiting).toBe('resolved');
      expect(controller.signal.aborted).toBe(true);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await supervisor.close();
    },
  );

  it('held: already aborted, one signal for many calls on two links, ended link; no abort listener left', async () => {
    const a = await connecting();
    const b = await connecting();
    const done = new AbortController();
    done.abort();
    expect(await outcome(a.link.ready({ signal: done.signal }))).toBe('LV_ERR_ABORTED');
    expect(getEventListeners(done.signal, 'abort')).toHaveLength(0);

    const shared = new AbortController();
    const calls = [a.link, a.link, b.link].map((link) => outcome(link.ready({ signal: shared.signal })));
    expect(await Promise.all(calls)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);

    // Waiting across a drop, then aborted: every call rejects, nothing stays on the signal.
    let held = -1;
    const aborted = await whenDropped(a.link, a.server, () => {
      const waiting = [
        outcome(a.link.ready({ signal: shared.signal })),
        outcome(a.link.ready({ signal: shared.signal })),
      ];
      held = getEventListeners(shared.signal, 'abort').length;
      shared.abort();
      return waiting;
    });
    expect(held).toBe(1); // one for every call
    expect(await Promise.all(aborted)).toEqual(['LV_ERR_ABORTED', 'LV_ERR_ABORTED']);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);

    // Waiting when the link is closed: rejects closed, nothing left; ended: at once.
    const closing = new AbortController();
    const waiting = outcome(a.link.ready({ signal: closing.signal }));
    void a.link.close();
    expect(await waiting).toBe('LV_ERR_LINK_CLOSED');
    expect(await outcome(a.link.ready({ signal: closing.signal }))).toBe('LV_ERR_LINK_CLOSED');
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    await a.supervisor.close();
    await b.supervisor.close();
    expect(stray).toEqual([]);
  });

  it('one signal for the ready() calls of 12 links: one abort listener on it, no MaxListeners warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    h.defer(() => process.off('warning', onWarning));
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false, autoConnect: false });
    const links = Array.from({ length: 12 }, () => supervisor.connect(server.url));
    const shared = new AbortController();
    const aborted = links.map((link) => outcome(link.ready({ signal: shared.signal })));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort();
    expect(new Set(await Promise.all(aborted))).toEqual(new Set(['LV_ERR_ABORTED']));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);

    const timeout = new AbortController();
    const ready = links.map((link) => outcome(link.ready({ signal: timeout.signal })));
    expect(getEventListeners(timeout.signal, 'abort')).toHaveLength(1);
    for (const link of links) link.connect();
    expect(new Set(await Promise.all(ready))).toEqual(new Set(['resolved']));
    expect(getEventListeners(timeout.signal, 'abort')).toHaveLength(0);
    await sleep(20); // a warning is emitted on the next tick
    expect(warnings).toEqual([]);
    await supervisor.close();
  });

  it('held: a signal made in another realm (vm context) is taken and unhooked', async () => {
    const { supervisor, link } = await connecting();
    const signal = vm.runInContext(
      `({ aborted: false, held: [],
          addEventListener(type, listener) { this.held.push(listener); },
          removeEventListener(type, listener) { this.held = this.held.filter((l) => l !== listener); } })`,
      vm.createContext({}),
    ) as { held: unknown[] };
    expect(await outcome(link.ready({ signal: signal as never }))).toBe('resolved');
    expect(signal.held).toHaveLength(0);
    await supervisor.close();
  });
});
