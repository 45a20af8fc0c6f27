/**
 * The supervisor's and a group's edges around close: `up` once per edge, `down` once when the
 * application closes the last ready link, and none while the supervisor closes (close(), a second
 * close(), terminate() during it, or terminate() alone): the `closed` event, once, ends the story,
 * and `supervisor.up` / `group.up` read false after. Every queued message is reported `dropped`
 * once. Real `ws` servers on loopback; the harness asserts nothing is left.
 */
import { describe, expect, it } from 'vitest';
import type { Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

function record(supervisor: Supervisor, seen: string[]): void {
  supervisor.on('up', () => seen.push('up'));
  supervisor.on('down', () => seen.push('down'));
  supervisor.on('closed', () => seen.push('closed'));
}

describe('edges around close', () => {
  const h = useHarness();

  it('the application closes the last ready link: down once; a new one: up once', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const seen: string[] = [];
    record(supervisor, seen);
    const [a, b] = [supervisor.connect(server.url), supervisor.connect(server.url)];
    await Promise.all([a.ready(), b.ready()]);
    await a.close();
    expect(seen).toEqual(['up']);
    await b.close();
    expect(seen).toEqual(['up', 'down']);
    await supervisor.connect(server.url).ready();
    expect(seen).toEqual(['up', 'down', 'up']);
  });

  for (const how of ['close', 'close twice then terminate', 'terminate'] as const) {
    it(`${how}: no down for the links it closes, closed once, up false after`, async () => {
      const received: string[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => ws.on('message', (data) => received.push(String(data))),
      });
      const supervisor = h.supervisor(FAST);
      const seen: string[] = [];
      record(supervisor, seen);
      const group = supervisor.connectGroup([server.url, server.url], { id: 'g' });
      group.on('up', () => seen.push('g.up'));
      group.on('down', () => seen.push('g.down'));
      await Promise.all(group.links.map((link) => link.ready()));
      const drops: string[] = [];
      const late = supervisor.connect(`ws://127.0.0.1:${server.port}/late`);
      late.on('dropped', ({ data, reason }) => drops.push(`${String(data)}:${reason}`));
      late.send('q1');
      late.send('q2');
      const closing =
        how === 'terminate'
          ? supervisor.terminate()
          : how === 'close'
            ? supervisor.close()
            : [supervisor.close(), supervisor.close(), supervisor.terminate()].reduce((p, q) => {
                expect(q).toBe(p);
                return p;
              });
      await closing;
      expect(seen).toEqual(['up', 'g.up', 'closed']);
      // Each queued message either reached the server or was reported dropped: once, not both.
      const fates = ['q1', 'q2'].map((q) => [
        received.filter((r) => r === q).length,
        drops.filter((d) => d === `${q}:closed`).length,
      ]);
      for (const [delivered = 0, dropped = 0] of fates) expect(delivered + dropped).toBe(1);
      expect(drops.every((d) => d.endsWith(':closed'))).toBe(true);
      expect([supervisor.up, group.up, supervisor.list().length]).toEqual([false, false, 0]);
    });
  }
});
