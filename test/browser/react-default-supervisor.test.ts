/**
 * closeDefaultSupervisor() while components are mounted on the default supervisor (hot
 * reloading): they render again and take their links on a new default supervisor, where they
 * connect (docs/react.md, "Which supervisor"); components on a supervisor of their own keep
 * their links.
 *
 * Before (round 34): only a component that also read `useLinkState` rendered again (its link's
 * close renders it); one that only held the link (messages in an effect, `link.send` in a
 * handler) kept the closed link for ever: nothing connected on the new default supervisor.
 */
import { describe, expect, it } from 'vitest';
import type { Lab } from './react/lab.js';
import { until } from './react/lab-page.js';
import { useReactLab } from './react/react-lab.js';

type Supervisor = ReturnType<Lab['createSupervisor']>;

describe('linkvisor/react: closeDefaultSupervisor() with components mounted', () => {
  const suite = useReactLab();
  const { paths, run } = suite;

  it('a component that only holds its link connects again on the new default supervisor; one on its own supervisor keeps its link', async () => {
    await run((lab, base: string) => {
      const { createElement: h, useEffect } = lab.React;
      const own = lab.createSupervisor();
      lab.store.supervisor = own;
      // No useLinkState: nothing but the hook itself renders it again.
      function Plain() {
        const link = lab.hooks.useLink(`${base}/plain`);
        useEffect(() => {
          lab.store.link = link;
        }, [link]);
        return h('p', null, 'plain');
      }
      function Own() {
        const link = lab.hooks.useLink(`${base}/own`, { supervisor: own });
        useEffect(() => {
          lab.store.ownLink = link;
        }, [link]);
        return h('p', null, 'own');
      }
      lab.mount(h('div', null, h(Plain), h(Own)), false);
    }, suite.server.url);
    await until('both connected', () => paths.length === 2 && suite.server.clients.size === 2);
    await run((lab) => {
      lab.store.first = lab.store.link;
      lab.store.ownFirst = lab.store.ownLink;
      return lab.hooks.closeDefaultSupervisor();
    });
    await until(
      'the plain component connected again',
      () => paths.filter((p) => p === '/plain').length === 2,
    );
    await until('its new link is ready on the new default supervisor', async () =>
      run((lab) => {
        const link = lab.store.link as { state: string; id: string };
        const live = lab.hooks.getDefaultSupervisor().list();
        return link !== lab.store.first && link.state === 'ready' && live.length === 1 && live[0] === link;
      }),
    );
    await until('two sockets: the plain one (new) and the own one', () => suite.server.clients.size === 2);
    expect(await run((lab) => (lab.store.first as { state: string }).state)).toBe('closed');
    expect(
      await run(
        (lab) => lab.store.ownLink === lab.store.ownFirst && (lab.store.ownLink as { state: string }).state,
      ),
    ).toBe('ready');
    expect(paths.filter((p) => p === '/own')).toHaveLength(1);

    await run(async (lab) => {
      const own = lab.store.supervisor as Supervisor;
      lab.reset();
      await lab.hooks.closeDefaultSupervisor();
      await own.close();
    });
    await until('no socket left', () => suite.server.clients.size === 0);
  });
});
