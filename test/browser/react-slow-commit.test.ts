/**
 * linkvisor/react's slow commit, in headless Chromium with React's development build in StrictMode
 * (test/browser/react/lab.ts), on React 19 and, as the `react18` project, React 18.3: a transition
 * renders a component that uses a link next to a sibling that suspends on data for longer than two
 * sweep periods (RESERVATION_SWEEP_MS), THEN commits — Suspense data fetching. The component must
 * connect exactly once, never show a state of a link it does not hold (`closed`), deliver the
 * message its effect sends, and nothing is reported `dropped` or printed.
 *
 * Pinned (it passes on i40react too): reservations are only links no commit started, so the sweep
 * never closes a connecting link; React renders the component again when the data comes (React 19's
 * `use` and React 18's thrown promise alike), and that render takes a fresh idle link.
 */
import { describe, expect, it } from 'vitest';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import type { Lab } from './react/lab.js';
import { until } from './react/lab-page.js';
import { useReactLab } from './react/react-lab.js';

type Supervisor = ReturnType<Lab['createSupervisor']>;

/** Longer than two sweep periods: the render's reservation is swept before the commit. */
const DATA_AFTER_MS = 2 * RESERVATION_SWEEP_MS + 1_500;

describe('linkvisor/react: a render that commits after its data came', () => {
  const suite = useReactLab();
  const { run } = suite;

  it('a sibling suspends on data for 3.5 s, then the transition commits: one connection, no closed frame, nothing dropped', async () => {
    const received: string[] = [];
    suite.server.wss.on('connection', (ws) => ws.on('message', (data) => received.push(String(data))));
    await run(
      (lab, { target, afterMs }: { target: string; afterMs: number }) => {
        const { createElement: h, useState, useEffect, startTransition, Suspense } = lab.React;
        const supervisor = lab.createSupervisor();
        lab.store.supervisor = supervisor;
        const seen: string[] = [];
        const dropped: string[] = [];
        lab.store.seen = seen;
        lab.store.dropped = dropped;
        const sent: string[] = [];
        lab.store.sent = sent;
        const created: string[] = [];
        lab.store.created = created;
        supervisor.on('link', (link) => {
          created.push(link.id);
          link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)}:${reason}`));
        });
        let data: string | undefined;
        const loading = new Promise<string>((resolve) => setTimeout(() => resolve('data'), afterMs));
        void loading.then((value) => {
          data = value;
        });
        const use = (lab.React as { use?: (p: Promise<string>) => string }).use;
        function Feed() {
          const link = lab.hooks.useLink(target, { supervisor });
          const state = lab.hooks.useLinkState(link);
          seen.push(state);
          useEffect(() => {
            // Twice per link in StrictMode (its simulated remount): each must arrive.
            link.send('hello');
            sent.push('hello');
          }, [link]);
          return h('p', null, `feed:${state}`);
        }
        function Data() {
          // React 19: `use` (the render resumes where it suspended); React 18: a thrown promise.
          const value = use ? use(loading) : data;
          if (value === undefined) throw loading;
          return h('p', null, value);
        }
        function App() {
          const [page, setPage] = useState('home');
          lab.store.go = setPage;
          return h(
            Suspense,
            { fallback: 'loading' },
            page === 'feed' ? [h(Feed, { key: 'f' }), h(Data, { key: 'd' })] : page,
          );
        }
        lab.mount(h(App));
        startTransition(() => (lab.store.go as (page: string) => void)('feed'));
      },
      { target: `${suite.server.url}/slow`, afterMs: DATA_AFTER_MS },
    );
    await until(
      'the transition committed and its link is ready',
      async () => (await run(() => document.body.textContent?.trim())) === 'feed:readydata',
      DATA_AFTER_MS + 10_000,
    );
    const sent = await run((lab) => (lab.store.sent as string[]).length);
    await until('the messages arrived', () => received.length >= sent);
    expect(suite.paths).toEqual(['/slow']);
    const { seen, dropped } = await run((lab) => ({
      seen: lab.store.seen as string[],
      dropped: lab.store.dropped,
    }));
    expect({ received, dropped }).toEqual({ received: Array(sent).fill('hello'), dropped: [] });
    expect(seen.filter((state) => state === 'closed' || state === 'closing')).toEqual([]);
    expect(sent).toBe(2);
    // Two links: the render's reservation was swept while the data loaded (the case under test),
    // and the link the committed tree took — only the second ever connected.
    expect(await run((lab) => (lab.store.created as string[]).length)).toBe(2);
    await run((lab) => (lab.store.supervisor as Supervisor).close());
  });
});
