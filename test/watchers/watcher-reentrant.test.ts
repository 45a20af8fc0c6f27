/**
 * A watcher's own callbacks acting on it or on its supervisor from inside: a later probe that stops
 * its watcher or closes the supervisor (the first probe's close is watcher-probe-edges.test.ts),
 * onReady / onDown that stop the watcher, close the supervisor, or watch another service under the
 * same name. Each ends or goes on cleanly: the watcher's actor never errors, it ends `stopped`,
 * close() completes, no timer is left on the simulated clock, and a throw inside a callback
 * (the duplicate name) is reported, not thrown on.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError, Watcher } from '../../src/index.js';
import { settle } from '../../src/testing/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

describe('watcher callbacks that act on the watcher or the supervisor', () => {
  const cases: {
    name: string;
    act: (env: { watcher: () => Watcher; close: () => void; rewatch: () => void }) => {
      probe?: () => void;
      onReady?: () => void;
      onDown?: () => void;
      /** Whether the probe fails from its second call (so that onDown runs). */
      failLater?: boolean;
    };
    error?: string;
  }[] = [
    {
      name: 'a later probe stops its watcher',
      act: ({ watcher }) => ({ probe: () => void watcher().stop() }),
    },
    { name: 'a later probe closes the supervisor', act: ({ close }) => ({ probe: close }) },
    { name: 'onReady stops the watcher', act: ({ watcher }) => ({ onReady: () => void watcher().stop() }) },
    { name: 'onReady closes the supervisor', act: ({ close }) => ({ onReady: close }) },
    {
      name: 'onDown stops the watcher',
      act: ({ watcher }) => ({ onDown: () => void watcher().stop(), failLater: true }),
    },
    {
      name: 'onDown watches a service under the same name (refused: reported, not thrown on)',
      act: ({ rewatch }) => ({ onDown: rewatch, failLater: true }),
      error: 'LV_ERR_LISTENER',
    },
  ];

  for (const { name, act, error } of cases) {
    it(name, async () => {
      const { clock, supervisor } = setup();
      const errors: LinkvisorError[] = [];
      supervisor.on('error', (e) => errors.push(e));
      let watcher: Watcher | undefined;
      let closing: Promise<void> | undefined;
      const acts = act({
        watcher: () => watcher as Watcher,
        close: () => {
          closing ??= supervisor.close();
        },
        rewatch: () => {
          supervisor.watch({ name: 'db', probe: () => true });
        },
      });
      let probes = 0;
      watcher = supervisor.watch({
        name: 'db',
        pollIntervalMs: 1_000,
        probe: () => {
          probes++;
          if (probes > 1) acts.probe?.();
          if (acts.failLater && probes > 1) throw new Error('down');
          return true;
        },
        ...(acts.onReady ? { onReady: acts.onReady } : {}),
        ...(acts.onDown ? { onDown: acts.onDown } : {}),
      });
      for (let i = 0; i < 5; i++) await clock.advance(1_000);
      await settle();
      if (!closing && watcher.status().state !== 'stopped') await watcher.stop();
      await closing;
      await supervisor.close();
      expect(watcher.actor.getSnapshot().status).not.toBe('error');
      expect(watcher.status().state).toBe('stopped');
      expect(supervisor.watcher('db')).toBeUndefined();
      expect(errors.map((e) => e.code)).toEqual(error ? [error] : []);
      if (error) expect(errors[0]?.option).toBe('onDown');
      expect(clock.pending).toBe(0);
    });
  }
});
