/**
 * The drop-in's `resolveTimeoutMs`: how long an attempt waits for a URL or protocols function to
 * settle (theirs wait for ever; ours default to 10 s, machines/policy/timeouts.ts). Against a real
 * `ws` server: a provider that never settles ends its attempt after the bound the option sets
 * (error + close, a `timeout` of phase `resolve`) and the retry connects; a provider slower than a
 * small bound but within a larger one connects at once; bad values and a misspelt name throw by name.
 */
import { describe, expect, it } from 'vitest';
import type { CloseEvent as DropInCloseEvent } from '../../src/entries/ws.js';
import { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, recordWs } from './helpers.js';

describe('drop-in: resolveTimeoutMs', () => {
  const h = useHarness();

  it('a URL function that never settles ends its attempt after resolveTimeoutMs; the retry calls it again and connects', async () => {
    const server = await h.wsServer();
    let calls = 0;
    // The first call never settles (a token service that hangs); the second answers at once.
    const url = () => (++calls === 1 ? new Promise<string>(() => {}) : Promise.resolve(server.url));
    const rws = dropIn(h, url, undefined, { ...FAST, resolveTimeoutMs: 150 });
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 1, {
      message: 'open after the hung provider',
      timeoutMs: 8_000,
    });
    expect(log.lines.slice(0, 4)).toEqual(['error:timeout', 'close:1006', 'reconnecting:1', 'open']);
    const close = log.of('close')[0] as DropInCloseEvent;
    expect(close.detail).toMatchObject({ kind: 'timeout', phase: 'resolve' });
    expect(close.detail.message).toMatch(/not resolved within 150 ms/);
    expect(calls).toBe(2);
    expect(server.connections).toBe(1);
  });

  it('a protocols function slower than a small bound times out; under a larger one the same provider connects at once', async () => {
    const server = await h.wsServer();
    const slowProtocols = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return 'chat';
    };
    const hurried = dropIn(h, server.url, slowProtocols, { ...FAST, resolveTimeoutMs: 50 });
    const hurriedLog = recordWs(hurried);
    await waitFor(() => hurriedLog.count('close') >= 1, {
      message: 'the 50 ms bound ran out',
      timeoutMs: 5_000,
    });
    expect((hurriedLog.of('close')[0] as DropInCloseEvent).detail).toMatchObject({ phase: 'resolve' });
    hurried.close();

    const patient = dropIn(h, server.url, slowProtocols, { ...FAST, resolveTimeoutMs: 60_000 });
    const patientLog = recordWs(patient);
    await waitFor(() => patientLog.count('open') === 1, { message: 'open after 300 ms', timeoutMs: 8_000 });
    expect(patientLog.lines).toEqual(['open']);
    expect(patient.protocol).toBe('chat');
  });

  it('takes the link option’s bounds: 1 ms to setTimeout’s ceiling, by name; a misspelt name gets a hint', () => {
    const make = (options: object) => () =>
      new ReconnectingWebSocket('ws://127.0.0.1:1', undefined, { startClosed: true, ...options });
    for (const bad of [0, -5, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 31, '10000']) {
      expect(make({ resolveTimeoutMs: bad })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'resolveTimeoutMs' }),
      );
    }
    expect(make({ resolveTimeoutMS: 5 })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'resolveTimeoutMS' }),
    );
    expect(make({ resolveTimeout: 5 })).toThrow(/did you mean 'resolveTimeoutMs'/);
    for (const ok of [1, 2 ** 31 - 1]) make({ resolveTimeoutMs: ok })().close();
  });
});
