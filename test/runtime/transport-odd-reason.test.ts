/**
 * A custom transport (the public Transport interface) that reports a reason the contract does not
 * allow — `closed()` with no string `message`, no string `kind`, no object at all —
 * must not hang its link in `connecting` nor throw out of the runtime (a `kind` of its own, a
 * string, is taken as given: docs/links.md): the link reconnects as after
 * a network error, its `lastError` is a well-formed Reason, and the misbehaviour is reported once
 * per link as its `error` (LV_ERR_TRANSPORT naming the field), not at every reconnect.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../src/index.js';
import { oddLink, oddTransport } from '../helpers/odd-transport.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { waitFor } from '../helpers/wait.js';

/** [row, what closed() gets, the field an LV_ERR_TRANSPORT names (null: well-formed, none)] */
const ROWS: [string, unknown, string | null, (boolean | 'no info')?][] = [
  ['a well-formed close (control)', { kind: 'close', code: 1012, message: 'restart' }, null],
  ['a kind of its own, with a message (taken as given: a retry)', { kind: 'mine', message: 'own' }, null],
  ['no message', { kind: 'mine' }, 'message'],
  ['a number message', { kind: 'close', code: 1012, message: 42 }, 'message'],
  ['an object message', { kind: 'error', message: { text: 'x' } }, 'message'],
  ['a null message', { kind: 'error', message: null }, 'message'],
  ['no kind', { message: 'no kind' }, 'kind'],
  ['a number kind', { kind: 7, message: 'seven' }, 'kind'],
  ['a null reason', null, 'reason'],
  ['an undefined reason', undefined, 'reason'],
  ['a string reason', 'it broke', 'reason'],
  ['no message, once ready', { kind: 'mine' }, 'message', true],
  ['a null reason, once ready', null, 'reason', true],
];

describe('a custom transport that reports an odd reason', () => {
  const stray = useStrayErrors({ exceptions: true });

  it.each(ROWS)(
    '%s: the link reconnects, lastError is a Reason, the misbehaviour is reported',
    async (_row, reason, field, opened) => {
      const transport = oddTransport(reason, opened);
      const { supervisor, link, errors } = oddLink(transport);
      const lost: unknown[] = [];
      link.on('reconnecting', (event) => lost.push(event.reason));
      let readyCount = 0;
      link.on('ready', () => readyCount++);
      await waitFor(() => transport.connects >= 3, { message: 'the link kept reconnecting' });
      if (opened) expect(readyCount).toBeGreaterThanOrEqual(2);
      // A kind of the transport's own is retryable, so it is lastError too (./transport-own-kind.test.ts).
      const lastError = link.status().lastError;
      expect(lastError).not.toBeNull();
      expect(lost.length).toBeGreaterThanOrEqual(2);
      for (const given of lost) expect(given).toEqual(lastError);
      expect(typeof lastError?.kind).toBe('string');
      expect(typeof lastError?.message).toBe('string');
      expect(lastError?.message.length).toBeGreaterThan(0);
      expect(() => JSON.stringify(lastError)).not.toThrow();
      const transportErrors = errors.filter((error) => error.code === 'LV_ERR_TRANSPORT');
      if (field === null) {
        expect(lastError).toMatchObject(reason as Reason);
        expect(transportErrors).toEqual([]);
      } else {
        expect(lastError?.kind).toBe('error');
        expect(lastError?.errorCode).toBe('LV_ERR_TRANSPORT');
        expect(lastError?.message).toContain('closed()');
        // Reported once per link, naming the field, though every attempt's closed() was odd (a
        // report per reconnect would flood `error`); each attempt's reason names it (lastError).
        expect(transportErrors).toHaveLength(1);
        expect(transportErrors[0]?.message).toContain(field);
      }
      await supervisor.close();
      await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
      expect(link.state).toBe('closed');
      expect(stray).toEqual([]);
    },
  );

  it('open() given no info: the socket opens all the same, the misbehaviour is reported once per link', async () => {
    const transport = oddTransport({ kind: 'close', code: 1012, message: 'restart' }, 'no info');
    const { supervisor, link, errors } = oddLink(transport);
    let readyCount = 0;
    link.on('ready', () => readyCount++);
    await waitFor(() => transport.connects >= 3, { message: 'the link kept reconnecting' });
    expect(readyCount).toBeGreaterThanOrEqual(2);
    expect(link.status().lastError).toMatchObject({ kind: 'close', code: 1012, message: 'restart' });
    // Once per link, though every connection's open() gave nothing.
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('LV_ERR_TRANSPORT');
    expect(errors[0]?.message).toBe("the transport's open() was given no valid info");
    await supervisor.close();
    await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
  });
});
