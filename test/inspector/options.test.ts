/**
 * startInspector refuses options it cannot use before it starts anything, with a LinkvisorError
 * naming the option (and never quoting the token): a misspelt name no longer serves a random
 * token silently, `maxUnackedBatches: 0` no longer freezes every page, an interval beyond what a
 * timer holds no longer polls every millisecond.
 */
import { describe, expect, it } from 'vitest';
import type { StartInspectorOptions } from '../../src/inspector/inspector-server.js';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';

const h = useHarness();

/** What startInspector did with `options`: the error it threw, or 'started' (then closed). */
async function outcome(options: unknown): Promise<unknown> {
  const supervisor = h.supervisor(FAST);
  try {
    const server = await startInspector(supervisor, options as StartInspectorOptions);
    await server.close();
    return 'started';
  } catch (error) {
    return error;
  }
}

describe('startInspector: options', () => {
  it.each([
    [{ tokn: 'abcdefghijklmnopqrstuvwxyz' }, 'LV_ERR_UNKNOWN_OPTION', 'tokn'],
    [{ token: 'short-SECRET' }, 'LV_ERR_INVALID_OPTION', 'token'],
    [{ maxUnackedBatches: 0 }, 'LV_ERR_INVALID_OPTION', 'maxUnackedBatches'],
    [{ statusIntervalMs: 3e9 }, 'LV_ERR_INVALID_OPTION', 'statusIntervalMs'],
    [{ statusIntervalMs: 0 }, 'LV_ERR_INVALID_OPTION', 'statusIntervalMs'],
    [{ updateIntervalMs: '100' }, 'LV_ERR_INVALID_OPTION', 'updateIntervalMs'],
    [{ port: 70_000 }, 'LV_ERR_INVALID_OPTION', 'port'],
    [{ allowEvents: 'yes' }, 'LV_ERR_INVALID_OPTION', 'allowEvents'],
    [{ allowedHosts: 'box.local' }, 'LV_ERR_INVALID_OPTION', 'allowedHosts'],
    // A port, a scheme or a path could never match a `Host` header: every request got 403.
    [{ allowedHosts: ['box.local:8080'] }, 'LV_ERR_INVALID_OPTION', 'allowedHosts'],
    [{ allowedHosts: ['http://box.local'] }, 'LV_ERR_INVALID_OPTION', 'allowedHosts'],
    [{ allowedHosts: ['box.local/inspector'] }, 'LV_ERR_INVALID_OPTION', 'allowedHosts'],
    [{ warn: 'console' }, 'LV_ERR_INVALID_OPTION', 'warn'],
    [{ inspector: {} }, 'LV_ERR_INVALID_OPTION', 'inspector'],
    [{ maxRecordingRecords: 0 }, 'LV_ERR_INVALID_OPTION', 'maxRecordingRecords'],
    [{ maxRecordingRecords: 1.5 }, 'LV_ERR_INVALID_OPTION', 'maxRecordingRecords'],
  ])('%j: %s naming %s', async (options, code, option) => {
    const error = await outcome(options);
    expect(error).toMatchObject({ name: 'LinkvisorError', code, option });
    expect(String((error as Error).message)).not.toContain('SECRET');
  });

  it.each([
    ['undefined', undefined],
    ['the options passed first', { allowEvents: true }],
    ['a string', 'supervisor'],
  ])('refuses %s as the supervisor: LV_ERR_INVALID_OPTION naming supervisor', async (_what, given) => {
    // It served a page that never showed an actor, and said nothing.
    await expect(startInspector(given as never)).rejects.toMatchObject({
      name: 'LinkvisorError',
      code: 'LV_ERR_INVALID_OPTION',
      option: 'supervisor',
    });
  });

  it('accepts every documented option', async () => {
    expect(
      await outcome({
        port: 0,
        host: '127.0.0.1',
        allowEvents: true,
        showPayloads: false,
        token: 'abcdefghijklmnop',
        allowedHosts: ['box.local', 'BOX.example.org', '10.0.0.5', '::1', '[fe80::1]'],
        statusIntervalMs: 500,
        warn: () => {},
        updateIntervalMs: 0,
        maxUnackedBatches: 1,
        maxBufferedBytes: 0,
        maxRecordingRecords: 1,
      }),
    ).toBe('started');
  });
});
