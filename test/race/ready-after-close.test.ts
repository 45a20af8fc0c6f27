/**
 * `link.ready()` called after `link.close()` rejects LV_ERR_LINK_CLOSED, as docs/links.md says
 * ("rejects if it fails or is closed first") and as `send()` refuses there, even when the close
 * has not reached the link's chart yet: made inside one of the link's own listeners (its actor is
 * mid-step, the close waits in its mailbox, the state still reads `ready`) or before the close of
 * a link still connecting reaches it. Before, such a call resolved: the application was told
 * "ready" for a link it had just closed. Real ws server on 127.0.0.1 port 0; every promise
 * settles (5 s bound), nothing escapes, nothing is left.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { nextTurn, sleep } from '../helpers/wait.js';

/** Gaps between the close() in the link's ready listener and the ready() made after it (the call
 * made inside the listener itself: the tests above). */
const GAPS: [string, () => Promise<void>][] = [
  ['a microtask later', () => Promise.resolve()],
  ['a turn later', () => nextTurn()],
  ['2 ms later', () => sleep(2)],
];

describe('link.ready() after link.close()', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const listener of ['ready', 'state'] as const) {
    it(`close() then ready() in the link's own \`${listener}\` listener: ready() rejects LV_ERR_LINK_CLOSED`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url);
      const calls: Promise<{ outcome: string }>[] = [];
      let sent = '';
      const act = () => {
        if (calls.length > 0) return;
        calls.push(settled(link.close()), settled(link.ready()));
        try {
          sent = link.send('x');
        } catch (error) {
          sent = (error as { code: string }).code;
        }
      };
      if (listener === 'ready') link.on('ready', act);
      else link.on('state', ({ to }) => to === 'ready' && act());
      await link.ended();
      const [closed, ready] = await Promise.all(calls);
      expect(closed?.outcome).toBe('resolved');
      expect(ready?.outcome).toBe('LV_ERR_LINK_CLOSED');
      expect(sent).toBe('LV_ERR_LINK_CLOSED');
      expect(link.state).toBe('closed');
      expect(stray).toEqual([]);
    });
  }

  for (const [name, gap] of GAPS) {
    it(`a ready() waiting when close() is called in a listener, and one after (${name}): both reject`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const link: Link = supervisor.connect(server.url);
      const waiting = settled(link.ready());
      const later: Promise<{ outcome: string }>[] = [];
      link.on('ready', () => {
        void link.close();
        void gap().then(() => later.push(settled(link.ready())));
      });
      await link.ended();
      await sleep(5);
      expect((await waiting).outcome).toBe('resolved');
      expect(later).toHaveLength(1);
      expect((await later[0])?.outcome).toBe('LV_ERR_LINK_CLOSED');
      expect(stray).toEqual([]);
    });
  }

  it('close() in a `connecting` listener: a ready() made there, and one waiting, reject', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    const waiting = settled(link.ready());
    const calls: Promise<{ outcome: string }>[] = [];
    link.on('state', ({ to }) => {
      if (to !== 'connecting' || calls.length > 0) return;
      calls.push(settled(link.close()), settled(link.ready()));
    });
    await link.ended();
    const [closed, ready] = await Promise.all(calls);
    expect(closed?.outcome).toBe('resolved');
    expect(ready?.outcome).toBe('LV_ERR_LINK_CLOSED');
    expect((await waiting).outcome).toBe('LV_ERR_LINK_CLOSED');
    expect(stray).toEqual([]);
  });
});
