/**
 * `supervisor.close()` / `terminate()` while `connect()` calls still wait in the start slices
 * (src/runtime/start-queue.ts: 100 links, more than one slice), right after `connectGroup()`, and
 * from a listener that runs inside a slice (the first link's `connecting`, while the later links
 * of its batch are made and not started and more are booked): close() resolves, every link ends
 * `closed`, every `ready()` / `group.ready()` / `whenUp()` settles, nothing escapes, nothing is
 * left. Checked and found right (no fix). Real ws server on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { GAPS, until } from './gaps.js';

describe('close() while links start', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const [name, gap] of GAPS) {
    for (const how of ['close', 'terminate'] as const) {
      it(`${how}() with 100 connect() booked (${name})`, async () => {
        const server = await h.wsServer();
        const supervisor = h.supervisor(FAST);
        const links = Array.from({ length: 100 }, () => supervisor.connect(server.url));
        const readies = links.map((link) => settled(link.ready()));
        await gap();
        expect((await settled(supervisor[how]())).outcome).toBe('resolved');
        expect((await Promise.all(readies)).some(({ outcome }) => outcome === 'hung')).toBe(false);
        expect(links.every((link) => link.state === 'closed')).toBe(true);
        expect(supervisor.list()).toEqual([]);
        expect(stray).toEqual([]);
      });
    }

    it(`connectGroup() then close() (${name})`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const group = supervisor.connectGroup([server.url, server.url, server.url], { id: 'g' });
      const ready = settled(group.ready());
      const up = settled(supervisor.whenUp());
      await gap();
      const closing = supervisor.close();
      await gap();
      const terminating = supervisor.terminate();
      expect((await settled(closing)).outcome).toBe('resolved');
      expect((await settled(terminating)).outcome).toBe('resolved');
      expect((await ready).outcome).not.toBe('hung');
      expect((await up).outcome).not.toBe('hung');
      expect(group.links.map((link) => link.state)).toEqual(['closed', 'closed', 'closed']);
      expect(stray).toEqual([]);
    });
  }

  for (const what of [
    'close',
    'terminate',
    'a later link closes',
    'connect',
    'a later link is read',
  ] as const) {
    it(`the first link's \`connecting\` listener, in a batch of 80: ${what}`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const links: Link[] = [];
      const errors: unknown[] = [];
      supervisor.on('error', (error) => errors.push(error));
      let done: Promise<unknown> | null = null;
      const act = () => {
        if (what === 'close') return supervisor.close();
        if (what === 'terminate') return supervisor.terminate();
        if (what === 'a later link closes') return links[5]?.close();
        if (what === 'connect') links.push(supervisor.connect(server.url));
        else void links[50]?.actor;
        return Promise.resolve();
      };
      supervisor.on('link', (link) => {
        if (links.length === 0)
          link.on('state', ({ to }) => {
            if (to === 'connecting' && !done) done = act() ?? Promise.resolve();
          });
        links.push(link);
      });
      for (let i = 0; i < 80; i++) supervisor.connect(server.url);
      await until(() => done !== null);
      expect((await settled(done as unknown as Promise<unknown>)).outcome).toBe('resolved');
      expect((await settled(supervisor.close())).outcome).toBe('resolved');
      expect(links.every((link) => link.state === 'closed')).toBe(true);
      expect(errors).toEqual([]);
      expect(stray).toEqual([]);
    });
  }
});
