/**
 * `link.close(options)` with options that are no object, a reason that is no string, or a code or
 * reason whose `toString()` throws: refused at the call with LV_ERR_INVALID_OPTION naming
 * `options`, `reason` or `code`, the value described, never shown (a credential passed by mistake
 * stays out of the message), and the link left open (a later good close() ends it). Before:
 * close(null) threw a raw TypeError, a reason that was a number, a symbol or an object was taken
 * and sent as an empty reason, a throwing toString() escaped as the application's own error, and
 * a string code was quoted in the message. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln';
const throwing = {
  toString(): string {
    throw new Error('toString');
  },
};

const BAD: [string, unknown, string][] = [
  ['null', null, 'options'],
  ['5', 5, 'options'],
  ['a string', 'bye', 'options'],
  ['reason 5', { reason: 5 }, 'reason'],
  ['reason a symbol', { reason: Symbol('r') }, 'reason'],
  ['reason an object', { reason: { toString: () => 'bye' } }, 'reason'],
  ['reason whose toString throws', { reason: throwing }, 'reason'],
  ['code whose toString throws', { code: throwing }, 'code'],
  ['code a credential', { code: SECRET }, 'code'],
];

describe('link.close() with hostile options', () => {
  const h = useHarness();

  it.each(BAD)(
    '%s: LV_ERR_INVALID_OPTION naming the option; the link stays open',
    async (_, options, option) => {
      const closes: string[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => ws.on('close', (code, reason) => closes.push(`${code} ${String(reason)}`)),
      });
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      const link = supervisor.connect(server.url);
      await link.ready();
      let error: LinkvisorError | undefined;
      try {
        void link.close(options as never);
      } catch (e) {
        error = e as LinkvisorError;
      }
      expect(error).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option });
      expect(error?.message).not.toContain('eyJ');
      expect(link.state).toBe('ready');
      expect(link.send('still open')).toBe('sent');
      await link.close({ code: 4001, reason: 'done' });
      await waitFor(() => closes.length === 1, { message: 'the server saw the close' });
      expect(closes).toEqual(['4001 done']);
    },
  );

  it('absent code and reason (undefined or null) still close with 1000 and an empty reason', async () => {
    const closes: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('close', (code, reason) => closes.push(`${code} ${String(reason)}`)),
    });
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const a = supervisor.connect(server.url);
    const b = supervisor.connect(server.url);
    await Promise.all([a.ready(), b.ready()]);
    await a.close({ code: undefined, reason: undefined });
    await b.close({ code: null, reason: null } as never);
    await waitFor(() => closes.length === 2, { message: 'two closes' });
    expect(closes).toEqual(['1000 ', '1000 ']);
  });
});
