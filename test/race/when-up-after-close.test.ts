/**
 * `supervisor.whenUp()` and `close()`: from the first close() on the supervisor is closed
 * (`supervisor.closed`, `connect()` throws), and whenUp() rejects LV_ERR_SUPERVISOR_CLOSED, as
 * docs/supervisor.md says — also while a ready link has not heard the close yet (the supervisor
 * tells its links a microtask later), and for a call already waiting when the first `up` edge,
 * made before the close, reaches the listeners after it. Before, both resolved: the application
 * went on to use links the supervisor was closing. Real ws server on 127.0.0.1 port 0; every
 * promise settles (5 s bound), nothing escapes, nothing is left.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { nextTurn, sleep } from '../helpers/wait.js';

describe('supervisor.whenUp() across close()', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const how of ['close', 'terminate'] as const) {
    it(`${how}() with a ready link, then whenUp() in the same job: rejects LV_ERR_SUPERVISOR_CLOSED`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      await supervisor.connect(server.url).ready();
      const closing = supervisor[how]();
      const up = settled(supervisor.whenUp());
      expect((await up).outcome).toBe('LV_ERR_SUPERVISOR_CLOSED');
      expect((await settled(closing)).outcome).toBe('resolved');
      expect(stray).toEqual([]);
    });
  }

  const GAPS: [string, () => Promise<void>][] = [
    ['in the listener', async () => {}],
    ['a microtask later', () => Promise.resolve()],
    ['a turn later', () => nextTurn()],
  ];
  for (const [name, gap] of GAPS) {
    it(`a whenUp() waiting when close() is called in the first link's ready listener (${name}) rejects`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const waiting = settled(supervisor.whenUp());
      const link = supervisor.connect(server.url);
      let closing: Promise<{ outcome: string }> | null = null;
      const later: Promise<{ outcome: string }>[] = [];
      link.on('ready', () => {
        closing ??= settled(supervisor.close());
        void gap().then(() => later.push(settled(supervisor.whenUp())));
      });
      await link.ended();
      await sleep(5);
      expect(closing).not.toBeNull();
      expect((await waiting).outcome).toBe('LV_ERR_SUPERVISOR_CLOSED');
      expect((await later[0])?.outcome).toBe('LV_ERR_SUPERVISOR_CLOSED');
      expect((await (closing as unknown as Promise<{ outcome: string }>)).outcome).toBe('resolved');
      expect(supervisor.list()).toEqual([]);
      expect(stray).toEqual([]);
    });
  }
});
