/**
 * A link closed while its attempt waits on application code: a per-attempt `url` or `headers`
 * function whose promise never settles (or settles after the close), a handshake that ignores its
 * signal and never settles. `link.close()`, `supervisor.close()` and `terminate()` each resolve,
 * the link ends `closed` with its queued message reported `dropped`, no socket is opened for a
 * late URL, nothing escapes, nothing is left. Checked and found right (no fix). Real ws server
 * on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { Link, Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { sleep } from '../helpers/wait.js';
import { GAPS, until } from './gaps.js';

const HOW = ['link.close', 'supervisor.close', 'supervisor.terminate'] as const;

function closeBy(how: (typeof HOW)[number], link: Link, supervisor: Supervisor): Promise<void> {
  if (how === 'link.close') return link.close();
  return how === 'supervisor.close' ? supervisor.close() : supervisor.terminate();
}

function events(link: Link): string[] {
  const seen: string[] = [];
  link.on('dropped', ({ reason }) => seen.push(`dropped ${reason}`));
  link.on('closed', () => seen.push('closed'));
  link.on('error', (error) => seen.push(`error ${error.code}`));
  return seen;
}

describe('close() while an attempt waits on application code', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const [name, gap] of GAPS) {
    for (const how of HOW) {
      it(`${how}() while the url function never settles (${name})`, async () => {
        const supervisor = h.supervisor(FAST);
        let calls = 0;
        const link = supervisor.connect(() => {
          calls++;
          return new Promise<string>(() => {});
        });
        const seen = events(link);
        link.send('queued');
        await until(() => calls > 0);
        await gap();
        expect((await settled(closeBy(how, link, supervisor))).outcome).toBe('resolved');
        expect(link.state).toBe('closed');
        expect(seen).toEqual(['dropped closed', 'closed']);
        expect(stray).toEqual([]);
      });

      it(`${how}() while a handshake ignores its signal and never settles (${name})`, async () => {
        const server = await h.wsServer();
        const supervisor = h.supervisor(FAST);
        let entered = 0;
        const link = supervisor.connect(server.url, {
          handshake: () => {
            entered++;
            return new Promise<void>(() => {});
          },
        });
        const seen = events(link);
        link.send('queued');
        await until(() => entered > 0);
        await gap();
        expect((await settled(closeBy(how, link, supervisor))).outcome).toBe('resolved');
        expect(seen).toEqual(['dropped closed', 'closed']);
        expect(stray).toEqual([]);
      });
    }

    for (const part of ['url', 'headers'] as const) {
      it(`link.close() while the ${part} function is pending, settled after (${name}): no socket`, async () => {
        const server = await h.wsServer();
        const supervisor = h.supervisor(FAST);
        let settle!: (ok: boolean) => void;
        let calls = 0;
        const pending = <T>(value: T) => {
          calls++;
          return new Promise<T>((resolve, reject) => {
            settle = (ok) => (ok ? resolve(value) : reject(new Error('late')));
          });
        };
        const link =
          part === 'url'
            ? supervisor.connect(() => pending(server.url))
            : supervisor.connect(server.url, { headers: () => pending({ 'x-a': 'b' }) });
        const seen = events(link);
        await until(() => calls > 0);
        const closing = settled(link.close());
        await gap();
        settle(name !== 'a turn');
        expect((await closing).outcome).toBe('resolved');
        await sleep(20);
        expect(server.upgrades).toBe(0);
        expect(seen).toEqual(['closed']);
        expect(stray).toEqual([]);
      });
    }
  }
});
