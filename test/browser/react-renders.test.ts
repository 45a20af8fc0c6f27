/**
 * linkvisor/react's renders, in headless Chromium with React's development build in StrictMode
 * (test/browser/react/lab.ts: each test writes its components inline), against a loopback `ws`
 * server; nothing may be printed (no "getSnapshot should be cached", no update on an unmounted
 * component). The `react18` project of test/browser/vitest.config.ts runs the same tests on React 18.3
 * (its StrictMode renders a mount twice with fresh state each time).
 *
 * Before (round 32):
 * - A URL function without `key` makes a link the component's own, keyed by a number per
 *   component instance kept in state; a mount render whose state React throws away (a mount that
 *   suspends and is rendered again, React 18's StrictMode double render) created an idle link
 *   under another number that no component used: it stayed in `supervisor.list()` until a hook
 *   call ten seconds later, and took the explicit `id`, so the link in use became `feed:2`.
 * - `useWebSocket` never rendered again: `socket.readyState` read in render stayed what it was at
 *   the mount (never OPEN), as with partysocket's hook.
 */
import { describe, expect, it } from 'vitest';
import type { Lab } from './react/lab.js';
import { until } from './react/lab-page.js';
import { useReactLab } from './react/react-lab.js';

type Supervisor = ReturnType<Lab['createSupervisor']>;

describe('linkvisor/react: renders that never commit, renders on readyState, early unmounts', () => {
  const suite = useReactLab();
  const { paths, run } = suite;
  const links = () => suite.lab.links();

  it('a URL function in a mount that suspends (and under StrictMode): one link, the id given, then none', async () => {
    const url = `${suite.server.url}/suspends`;
    await run((lab, target: string) => {
      const { createElement: h, Suspense } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      // React 19's `use`; React 18 suspends by throwing the promise.
      let done = false;
      const data = new Promise<void>((resolve) => setTimeout(resolve, 100)).then(() => {
        done = true;
      });
      function Feed({ id }: { id?: string }) {
        const link = lab.hooks.useLink(() => target, { supervisor, ...(id ? { id } : {}) });
        if (!done) throw data;
        return h('p', null, `${link.id}:${lab.hooks.useLinkState(link)}`);
      }
      lab.store.root = lab.mount(h(Suspense, { fallback: 'loading' }, h(Feed, { id: 'feed' }), h(Feed)));
    }, url);
    await until('both ready', async () => (await links()).filter((l) => l.endsWith(':ready')).length === 2);
    // Nothing else: no idle link of a render thrown away (it is gone a microtask after the commit).
    const live = await links();
    expect(live).toHaveLength(2);
    expect(live).toContain('link:feed:ready');
    expect(paths.filter((p) => p === '/suspends').length).toBe(2);
    // An id names the link as `key` does: a second component with the same id shares it.
    await run((lab, target: string) => {
      const { createElement: h } = lab.React;
      const supervisor = lab.store.supervisor as Supervisor;
      function Twin() {
        const link = lab.hooks.useLink(() => target, { supervisor, id: 'feed' });
        return h('p', null, `${link.id}:${lab.hooks.useLinkState(link)}`);
      }
      lab.store.twin = lab.mount(h(Twin));
    }, url);
    expect(await run(() => document.body.textContent?.match(/link:feed:ready/g)?.length)).toBe(2);
    expect(await links()).toHaveLength(2);
    await run((lab) => (lab.store.twin as { unmount(): void }).unmount());
    await run((lab) => (lab.store.root as { unmount(): void }).unmount());
    await until('no link left', async () => (await links()).length === 0);
    expect(await run((lab) => lab.liveTimers())).toBe(0);
    await run((lab) => (lab.store.supervisor as Supervisor).close());
  });

  it('useWebSocket renders again when readyState changes, and only then (not per message)', async () => {
    const url = `${suite.server.url}/ready-state`;
    const shown = () => run((lab) => (lab.store.shown as string[]).join(' '));
    await run((lab, target: string) => {
      const { createElement: h, useEffect } = lab.React;
      const shownStates: string[] = [];
      lab.store.shown = shownStates;
      lab.store.received = 0;
      const onMessage = () => {
        (lab.store.received as number)++;
      };
      function Status({ enabled }: { enabled: boolean }) {
        const socket = lab.hooks.useWebSocket(target, undefined, {
          enabled,
          minReconnectionDelay: 20,
          onMessage,
        });
        lab.store.socket = socket;
        useEffect(() => {
          shownStates.push(String(socket.readyState));
        });
        return h('p', null, String(socket.readyState));
      }
      const root = lab.mount(h(Status, { enabled: true }));
      lab.store.root = root;
      lab.store.render = (enabled: boolean) => root.render(h(Status, { enabled }));
    }, url);
    // Committed at the mount (StrictMode twice; this effect runs after the hook's connect:
    // CONNECTING), then OPEN once.
    await until('OPEN shown', async () => (await shown()).endsWith(' 1'));
    const opened = await shown();
    expect(opened).toMatch(/^([03] )+1$/);
    // 50 messages render nothing.
    for (let i = 0; i < 50; i++) for (const client of suite.server.clients) client.send(`m${i}`);
    await until('50 messages', async () => (await run((lab) => lab.store.received)) === 50);
    expect(await shown()).toBe(opened);
    // The server drops it: CLOSED or CONNECTING shown, then OPEN again.
    for (const client of suite.server.clients) client.close(4000, 'bye');
    await until('OPEN again', async () => /[03] 1$/.test(await shown()));
    await run((lab) => (lab.store.render as (enabled: boolean) => void)(false));
    await until('CLOSED once disabled', async () => (await shown()).endsWith(' 3'));
    await run((lab) => (lab.store.root as { unmount(): void }).unmount());
  });

  it('unmounted while connecting (and while rendering a new URL): no link, socket or timer left', async () => {
    await run((lab, base: string) => {
      const { createElement: h } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      function Both({ path }: { path: string }) {
        const link = lab.hooks.useLink(`${base}${path}`, { supervisor });
        const socket = lab.hooks.useWebSocket(`${base}${path}/ws`);
        return h('p', null, `${lab.hooks.useLinkState(link)}:${socket.readyState}`);
      }
      const root = lab.mount(h(Both, { path: '/early-a' }));
      root.render(h(Both, { path: '/early-b' }));
      root.unmount();
    }, suite.server.url);
    await until('no link left', async () => (await links()).length === 0);
    await until('no server-side socket left', () => suite.server.clients.size === 0);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0);
    await run((lab) => (lab.store.supervisor as Supervisor).close());
  });
});
