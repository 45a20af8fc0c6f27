/**
 * linkvisor/react when components go away at awkward moments, in headless Chromium (React 19 and,
 * as the `react18` project, 18.3, StrictMode): unmounted while the link is connecting with
 * messages queued, re-keyed (a new URL) while connecting with messages queued, unmounted from
 * inside the link's own listener. Every queued message is reported `dropped` (`closed`) on the
 * old link, nothing is printed (no update on an unmounted component), and nothing is left: no
 * link, socket or timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpgradeServer, type UpgradeTestServer } from '../helpers/servers.js';
import type { Lab } from './react/lab.js';
import { until } from './react/lab-page.js';
import { useReactLab } from './react/react-lab.js';

type Supervisor = ReturnType<Lab['createSupervisor']>;

describe('linkvisor/react: unmounts and re-keys at awkward moments', () => {
  const suite = useReactLab();
  const { run } = suite;
  const links = () => suite.lab.links();
  /** Accepts the TCP connection and never answers the upgrade: a link stays `connecting`. */
  let stall: UpgradeTestServer;
  beforeAll(async () => {
    stall = await startUpgradeServer(() => {});
  });
  afterAll(async () => {
    await stall?.stop();
  });

  /** A supervisor whose every link's `dropped` reports land in `lab.store.dropped` as `id:data:reason`. */
  const supervisorSetup = (lab: Lab) => {
    const supervisor = lab.createSupervisor();
    const dropped: string[] = [];
    supervisor.on('link', (link) =>
      link.on('dropped', ({ data, reason }) => dropped.push(`${link.id}:${String(data)}:${reason}`)),
    );
    lab.store.supervisor = supervisor;
    lab.store.dropped = dropped;
    return supervisor;
  };

  const nothingLeft = async () => {
    await until('no link left', async () => (await links()).length === 0);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0);
    await run((lab) => (lab.store.supervisor as Supervisor).close());
  };

  it('unmounted while connecting, and re-keyed while connecting, with messages queued: every one reported dropped', async () => {
    await run(
      (lab, [base, setup]: [string, string]) => {
        const { createElement: h, useEffect } = lab.React;
        const supervisor = (new Function(`return ${setup}`)() as (lab: Lab) => Supervisor)(lab);
        function Sender({ path }: { path: string }) {
          const link = lab.hooks.useLink(`${base}${path}`, { supervisor });
          useEffect(() => {
            for (const n of [1, 2, 3]) link.send(`${path}#${n}`);
          }, [link, path]);
          return h('p', null, `${path}:${lab.hooks.useLinkState(link)}`);
        }
        const root = lab.mount(h(Sender, { path: '/a' }));
        lab.store.root = root;
        lab.store.show = (path: string) => root.render(h(Sender, { path }));
      },
      [stall.url, supervisorSetup.toString()],
    );
    await until('connecting', async () => (await links()).join() === 'link:1:connecting');
    // A new URL while connecting: the old link closes, its queued messages are reported.
    await run((lab) => (lab.store.show as (path: string) => void)('/b'));
    await until(
      'six dropped',
      async () => ((await run((lab) => lab.store.dropped)) as string[]).length === 6,
    );
    await until('the new link connecting', async () => (await links()).join() === 'link:2:connecting');
    // Unmounted while connecting: the new link's too.
    await run((lab) => (lab.store.root as { unmount(): void }).unmount());
    await until(
      'nine dropped',
      async () => ((await run((lab) => lab.store.dropped)) as string[]).length === 9,
    );
    // StrictMode runs the sending effect twice at the mount (each message sent and queued twice),
    // once after the new URL.
    const sent = (id: number, path: string, ns: number[]) => ns.map((n) => `link:${id}:${path}#${n}:closed`);
    expect(await run((lab) => lab.store.dropped)).toEqual([
      ...sent(1, '/a', [1, 2, 3, 1, 2, 3]),
      ...sent(2, '/b', [1, 2, 3]),
    ]);
    await nothingLeft();
  });

  it("unmounted from inside the link's own message listener: closed, nothing printed, nothing left", async () => {
    await run(
      (lab, [target, setup]: [string, string]) => {
        const { createElement: h, useEffect } = lab.React;
        const supervisor = (new Function(`return ${setup}`)() as (lab: Lab) => Supervisor)(lab);
        function Feed() {
          const link = lab.hooks.useLink(target, { supervisor });
          useEffect(
            () =>
              link.on('message', () => {
                (lab.store.root as { unmount(): void }).unmount();
                link.send('after the unmount');
              }),
            [link],
          );
          return h('p', null, lab.hooks.useLinkState(link));
        }
        lab.store.root = lab.mount(h(Feed));
      },
      [`${suite.server.url}/listener`, supervisorSetup.toString()],
    );
    await until('ready', async () => (await links()).join() === 'link:1:ready');
    for (const client of suite.server.clients) client.send('go');
    await until('no socket left', () => suite.server.clients.size === 0);
    await nothingLeft();
  });
});
