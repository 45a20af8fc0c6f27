/**
 * What a watcher hands out of its last error is a copy: an `onDown` that decorates its argument
 * (`error.message += …`), or code that edits `lastError()` or `status().lastError`, changed the
 * chart's own context — the status, the health report and the inspector then showed the edit.
 */
import { expect, it } from 'vitest';
import { healthReport, type ProbeError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

it("onDown's error, lastError() and status().lastError are copies: editing them changes nothing of the watcher", async () => {
  const { clock, supervisor } = setup();
  let healthy = true;
  const seen: ProbeError[] = [];
  const watcher = supervisor.watch({
    name: 'db',
    pollIntervalMs: 1_000,
    probe: async () => {
      if (!healthy) throw Object.assign(new Error('db unreachable'), { code: 'ECONNREFUSED' });
    },
    onDown: (error) => {
      seen.push(error);
      error.message = `${error.message} (edited by onDown)`;
      error.code = 'EDITED';
    },
  });
  await clock.advance(0);
  expect(watcher.isReady()).toBe(true);
  healthy = false;
  await clock.advance(1_000);
  expect(seen).toHaveLength(1);
  const given = watcher.lastError() as ProbeError;
  given.message = 'edited by lastError()';
  const fromStatus = watcher.status().lastError as ProbeError;
  fromStatus.message = 'edited by status()';
  const expected = { message: 'db unreachable', code: 'ECONNREFUSED' };
  expect(watcher.lastError()).toEqual(expected);
  expect(watcher.status().lastError).toEqual(expected);
  expect(healthReport(supervisor).watchers[0]?.lastError).toEqual(expected);
  expect(watcher.actor.getSnapshot().context.lastError).toEqual(expected);
});
