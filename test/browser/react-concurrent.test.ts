/**
 * linkvisor/react under what concurrent React does to renders (test/browser/react/lab.ts, React's
 * development build, a loopback `ws` server): renders that React throws away or keeps waiting
 * while another component of the same request commits, a hidden `<Activity>` (React 19.2+: its
 * components render and commit but mount no effect), many components mounted and unmounted, a
 * provider whose supervisor comes later, two components naming one `id` with different URLs, and
 * what `useWebSocket` shows while it connects. The `react18` project of
 * test/browser/vitest.config.ts runs it on React 18.3 too (no `<Activity>` there: that test is skipped).
 *
 * Before (round 32):
 * - `useWebSocket` rendered CLOSED at the mount and never CONNECTING: the render that shows the
 *   socket made it closed, the effect connected it without rendering again.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startUpgradeServer,
  startWsServer,
  type UpgradeTestServer,
  type WsTestServer,
} from '../helpers/servers.js';
import type { Lab } from './react/lab.js';
import { type LabPage, openLabPage, until } from './react/lab-page.js';
import { reactVersion } from './react/page.js';

/** `<Activity>` is React 19.2's. */
const hasActivity = () => {
  const [major = 0, minor = 0] = reactVersion().split('.').map(Number);
  return major > 19 || (major === 19 && minor >= 2);
};

type Supervisor = ReturnType<Lab['createSupervisor']>;

describe('linkvisor/react under concurrent rendering', () => {
  let lab: LabPage;
  let server: WsTestServer;
  /** Accepts the TCP connection and never answers the upgrade: a socket stays CONNECTING. */
  let stall: UpgradeTestServer;

  const run: LabPage['run'] = (fn, arg) => lab.run(fn, arg);
  const links = () => lab.links();
  const text = () => run(() => (document.body.textContent ?? '').trim());
  /** Unmounts every root, keeping the store (its supervisor). */
  const unmountAll = () =>
    run((lab) => {
      const { supervisor } = lab.store;
      lab.reset();
      lab.store.supervisor = supervisor;
    });

  beforeAll(async () => {
    server = await startWsServer();
    stall = await startUpgradeServer(() => {});
    lab = await openLabPage();
  });

  afterAll(async () => {
    await lab?.close();
    await stall?.stop();
    await server?.stop();
  });

  beforeEach(async () => {
    await run((lab) => lab.reset());
  });

  // Nothing printed (an update on an unmounted component, a key warning); then nothing left.
  afterEach(async () => {
    expect(await run((lab) => [...lab.printed])).toEqual([]);
    await unmountAll();
    await run((lab) => (lab.store.supervisor as Supervisor | undefined)?.close());
    await until('no socket left on the servers', () => server.clients.size === 0);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0);
  });
  it('a transition render that another root commits into (same request) is rendered again: one link per component, none idle', async () => {
    await run(async (lab, target: string) => {
      const { createElement: h, useState, startTransition } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      function Feed({ name }: { name: string }) {
        const link = lab.hooks.useLink(() => target, { supervisor });
        return h('p', null, `${name}:${lab.hooks.useLinkState(link)} `);
      }
      // 40 slices of 3 ms: the transition yields to the page between them.
      function Slow() {
        const end = performance.now() + 3;
        while (performance.now() < end) {}
        return null;
      }
      let show: (on: boolean) => void = () => {};
      function App() {
        const [on, setOn] = useState(false);
        show = setOn;
        const slow = Array.from({ length: 40 }, (_, i) => h(Slow, { key: i }));
        return on ? h('div', null, h(Feed, { name: 'transition' }), ...slow) : null;
      }
      lab.mount(h(App));
      startTransition(() => show(true));
      // Mid-transition (it rendered Feed, which peeked a link): another root mounts one asking
      // the same and commits first; its link starts and the transition's idle one is closed.
      await new Promise((resolve) => setTimeout(resolve, 20));
      lab.mount(h(Feed, { name: 'urgent' }));
    }, `${server.url}/transition`);
    await until('both ready', async () => (await text()).split('ready').length === 3);
    expect(await links()).toEqual([expect.stringMatching(/:ready$/), expect.stringMatching(/:ready$/)]);
    expect(server.clients.size).toBe(2);
  });

  // React 18 (the `react18` project) has no <Activity>: skipped there, visibly.
  it.skipIf(!hasActivity())(
    'a hidden <Activity> (React 19.2+): rendered, no effect, its link replaced when a sibling of the same request starts; shown, it connects',
    async () => {
      const activity = await run((lab, target: string) => {
        const { createElement: h } = lab.React;
        const Activity = lab.React.Activity as typeof lab.React.Activity | undefined;
        if (!Activity) return false;
        const supervisor = lab.createSupervisor();
        lab.store.supervisor = supervisor;
        function Feed({ name }: { name: string }) {
          const link = lab.hooks.useLink(() => target, { supervisor });
          return h('p', null, `${name}:${lab.hooks.useLinkState(link)} `);
        }
        const hidden = h(Feed, { name: 'hidden' });
        const tree = (mode: 'hidden' | 'visible', sibling: boolean) =>
          h(
            'div',
            null,
            h(Activity, { mode, children: hidden }),
            sibling ? h(Feed, { name: 'sibling' }) : null,
          );
        const root = lab.mount(tree('hidden', false));
        lab.store.show = (mode: 'hidden' | 'visible', sibling: boolean) => root.render(tree(mode, sibling));
        return true;
      }, `${server.url}/activity`);
      expect(activity, 'the page has <Activity>').not.toBe(false);
      const show = (mode: string, sibling: boolean) =>
        run(
          (lab, [m, s]: [string, boolean]) => (lab.store.show as (m: string, s: boolean) => void)(m, s),
          [mode, sibling],
        );
      // Pre-rendered while hidden: an idle link, nothing connects.
      await until('pre-rendered', async () => (await links()).length === 1);
      expect(await links()).toEqual([expect.stringMatching(/:idle$/)]);
      await show('hidden', true);
      await until(
        'the sibling ready, the idle one closed',
        async () => (await links()).join() === 'link:2:ready',
      );
      await show('visible', true);
      await until('both ready', async () => (await text()) === 'hidden:ready sibling:ready');
      expect(await links()).toEqual(['link:2:ready', 'link:3:ready']);
    },
  );

  it('2,000 components with a URL function each: rendered again in linear time; 10,000 mounted and unmounted leave no link', async () => {
    const measured = await run(async (lab, target: string) => {
      const { createElement: h } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      function Feed({ n }: { n: number }) {
        const link = lab.hooks.useLink(() => target, { supervisor, autoConnect: false });
        return h('i', null, n, link.state);
      }
      const list = (from: number, count: number, n = 0) =>
        h(
          'div',
          null,
          Array.from({ length: count }, (_, i) => h(Feed, { key: from + i, n })),
        );
      const root = lab.mount(list(0, 2000), false);
      const held = supervisor.list().length;
      const start = performance.now();
      for (let n = 1; n <= 5; n++) root.render(list(0, 2000, n));
      const rerenderMs = (performance.now() - start) / 5;
      for (let batch = 1; batch <= 5; batch++) {
        root.render(list(batch * 2000, 2000));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      root.render(null);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return { held, rerenderMs, left: supervisor.list().length };
    }, `${server.url}/many`);
    console.log(
      `react: 2,000 components with a URL function each, rendered again: ${measured.rerenderMs.toFixed(0)} ms`,
    );
    expect(measured.held).toBe(2000);
    expect(measured.left).toBe(0);
  });

  it('a supervisor made later: the provider rendered once it exists takes every link, the default none', async () => {
    await run((lab, target: string) => {
      const { createElement: h, useState } = lab.React;
      const before = lab.hooks.getDefaultSupervisor().list().length;
      lab.store.defaultLinks = () => lab.hooks.getDefaultSupervisor().list().length - before;
      function Feed() {
        const link = lab.hooks.useLink(target);
        return h('p', null, `feed:${lab.hooks.useLinkState(link)}`);
      }
      function App() {
        const [supervisor, setSupervisor] = useState<Supervisor | null>(null);
        // Made later (after a login, say): the test says when.
        lab.store.make = () => {
          lab.store.supervisor = lab.createSupervisor();
          setSupervisor(lab.store.supervisor as Supervisor);
        };
        return supervisor ? h(lab.hooks.LinkvisorProvider, { supervisor }, h(Feed)) : 'loading';
      }
      lab.mount(h(App));
    }, `${server.url}/later`);
    expect(await text()).toBe('loading');
    await run((lab) => (lab.store.make as () => void)());
    await until('ready', async () => (await text()) === 'feed:ready');
    expect(await links()).toEqual(['link:1:ready']);
    expect(await run((lab) => (lab.store.defaultLinks as () => number)())).toBe(0);
  });

  it('one id asked with two URLs: two links, the second named id:2, each on its URL', async () => {
    await run((lab, base: string) => {
      const { createElement: h } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      function Feed({ path }: { path: string }) {
        const link = lab.hooks.useLink(`${base}${path}`, { supervisor, id: 'feed' });
        return h('p', null, `${path}=${link.id}:${lab.hooks.useLinkState(link)} `);
      }
      lab.mount(h('div', null, h(Feed, { path: '/one' }), h(Feed, { path: '/two' })));
    }, server.url);
    await until('both ready', async () => (await text()).split('ready').length === 3);
    expect(await text()).toBe('/one=link:feed:ready /two=link:feed:2:ready');
    expect(await run((lab) => (lab.store.supervisor as Supervisor).get('feed')?.id)).toBe('link:feed');
  });

  it('useWebSocket shows CONNECTING while it connects (the mount rendered it CLOSED)', async () => {
    await run((lab, target: string) => {
      const { createElement: h } = lab.React;
      function Status() {
        return h('p', null, String(lab.hooks.useWebSocket(target).readyState));
      }
      lab.mount(h(Status));
    }, stall.url);
    await until('CONNECTING shown', async () => (await text()) === '0', 3_000);
  });
});
