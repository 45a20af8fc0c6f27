/**
 * Two probes a demanding user writes. One that closes its supervisor from its first, synchronous
 * part (a probe that decides the process must stop): that first call runs inside watch(), before
 * the supervisor knew the watcher, so close() stopped every watcher but that one, which then went
 * on probing on a closed supervisor, its timers left for ever. And a probe that answers `false`
 * (`async () => (await fetch(url)).ok`; TypeScript lets a function returning a boolean stand for
 * one returning void): it resolved, so a service answering 503 was ready.
 */
import { describe, expect, it } from 'vitest';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

describe('watcher: probes that close the supervisor or answer false', () => {
  it('a first probe that closes the supervisor: the watcher stops too, no probe or timer is left', async () => {
    const { clock, supervisor } = setup();
    let probes = 0;
    let closed: Promise<void> | null = null;
    const watcher = supervisor.watch({
      name: 'quits',
      probe: async () => {
        probes++;
        closed ??= supervisor.close();
        throw new Error('shutting down');
      },
    });
    await closed;
    await clock.advance(600_000);
    expect(probes).toBe(1);
    expect(watcher.status().state).toBe('stopped');
    expect(supervisor.watcher('quits')).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('a probe that resolves false is a failure (not ready; onDown once ready); true or nothing is a success', async () => {
    const { clock, supervisor } = setup();
    let answer: unknown = false;
    const downs: string[] = [];
    const watcher = supervisor.watch({
      name: 'api',
      pollIntervalMs: 1_000,
      probe: async () => answer as boolean | undefined,
      onDown: (error) => downs.push(error.message),
    });
    await clock.advance(0);
    expect(watcher.isReady()).toBe(false);
    expect(watcher.lastError()).toEqual({ message: 'the probe answered false' });
    answer = true;
    await clock.advance(2_000);
    expect(watcher.isReady()).toBe(true);
    answer = false;
    await clock.advance(1_000);
    expect(watcher.isReady()).toBe(false);
    expect(downs).toEqual(['the probe answered false']);
    answer = undefined;
    await clock.advance(1_000);
    expect(watcher.isReady()).toBe(true);
  });
});
