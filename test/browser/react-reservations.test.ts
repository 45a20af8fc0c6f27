/**
 * linkvisor/react's renders that React throws away with no committed sibling, in headless Chromium
 * with React's development build in StrictMode (test/browser/react/lab.ts), on React 19 and, as the
 * `react18` project, React 18.3: the idle link such a render made leaves `supervisor.list()` by
 * itself one to two sweep periods (RESERVATION_SWEEP_MS, 1 s) after the render — no later hook
 * call, no wait of 10 s — and then no timer is left on the page.
 *
 * Before (round 39): a transition to a page that suspends forever, abandoned by a newer update,
 * left its idle link in `supervisor.list()` until a hook call 10 s or more later (with none, for
 * good).
 */
import { describe, expect, it } from 'vitest';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import type { Lab } from './react/lab.js';
import { until } from './react/lab-page.js';
import { useReactLab } from './react/react-lab.js';

type Supervisor = ReturnType<Lab['createSupervisor']>;

/** Two sweep periods, and slack for a busy machine (still under 10 s). */
const GONE_WITHIN_MS = 2 * RESERVATION_SWEEP_MS + 3_000;

describe('linkvisor/react: renders React throws away leave no link', () => {
  const suite = useReactLab();
  const { run } = suite;
  const links = () => suite.lab.links();

  it('a transition to a page that suspends forever, abandoned by a newer update: the link count returns to what it was', async () => {
    await run((lab, target: string) => {
      const { createElement: h, useState, startTransition, Suspense } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      const never = new Promise<never>(() => {});
      function Feed() {
        const link = lab.hooks.useLink(target, { supervisor });
        return h('p', null, `feed:${lab.hooks.useLinkState(link)}`);
      }
      function Forever(): null {
        throw never;
      }
      function App() {
        const [page, setPage] = useState('home');
        lab.store.go = setPage;
        return h(
          Suspense,
          { fallback: 'loading' },
          page === 'feed' ? [h(Feed, { key: 'f' }), h(Forever, { key: 'n' })] : page,
        );
      }
      lab.mount(h(App));
      startTransition(() => (lab.store.go as (page: string) => void)('feed'));
    }, `${suite.server.url}/abandoned`);
    // The transition rendered Feed (its idle link), then suspended: React keeps showing `home`.
    await until('the transition’s idle link', async () => (await links()).length === 1);
    expect(await links()).toEqual([expect.stringMatching(/:idle$/)]);
    expect(await run(() => document.body.textContent?.trim())).toBe('home');
    // A newer update abandons it.
    await run((lab) => lab.flushSync(() => (lab.store.go as (page: string) => void)('other')));
    expect(await run(() => document.body.textContent?.trim())).toBe('other');
    // No hook call from now on: the sweep alone takes the link away.
    await until('no link left', async () => (await links()).length === 0, GONE_WITHIN_MS);
    expect(suite.paths).toEqual([]);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0, GONE_WITHIN_MS);
    await run((lab) => (lab.store.supervisor as Supervisor).close());
  });

  it('a render thrown away by an error boundary: its idle link goes too', async () => {
    await run((lab, target: string) => {
      const { createElement: h, Component } = lab.React;
      const supervisor = lab.createSupervisor();
      lab.store.supervisor = supervisor;
      function Feed() {
        const link = lab.hooks.useLink(target, { supervisor });
        return h('p', null, `feed:${lab.hooks.useLinkState(link)}`);
      }
      function Broken(): null {
        throw new Error('broken');
      }
      class Boundary extends Component<{ children?: unknown }, { failed: boolean }> {
        override state = { failed: false };
        static getDerivedStateFromError() {
          return { failed: true };
        }
        override render() {
          return this.state.failed ? 'failed' : (this.props.children as never);
        }
      }
      lab.mount(h(Boundary, null, h(Feed), h(Broken)));
      // React logs the error the boundary caught: expected here, not a warning of the hooks.
      lab.printed.length = 0;
      lab.reported.length = 0;
    }, `${suite.server.url}/boundary`);
    expect(await run(() => document.body.textContent?.trim())).toBe('failed');
    await until('no link left', async () => (await links()).length === 0, GONE_WITHIN_MS);
    expect(suite.paths).toEqual([]);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0, GONE_WITHIN_MS);
    await run((lab) => (lab.store.supervisor as Supervisor).close());
  });
});
