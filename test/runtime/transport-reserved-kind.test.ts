/**
 * A custom transport that reports a reason of a kind the library reserves for itself
 * (`closed({ kind: 'user' })`, `'gave-up'`, `'intensity'`, `'group'`, `'invalid'`): the link does
 * not end, fail or restart as if the user closed it, the schedule gave up or its group restarted
 * it. The misbehaviour is reported once per link as its `error` (LV_ERR_TRANSPORT naming the
 * kind), and every such drop is a retryable network error (`kind: 'error'`, errorCode
 * LV_ERR_TRANSPORT) keeping the transport's close `code` and its message, minus the link's
 * secrets. Before (seen failing): `user`, `gave-up`, `intensity` and `invalid` ended the link
 * (closed or failed), `group` was taken as a group restart (at once, no backoff); none reported. A kind of the transport's own (`mine`) is the control: taken as given.
 * Nothing left after close.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type Reason } from '../../src/index.js';
import { oddLink, oddTransport } from '../helpers/odd-transport.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'k7Qx-reserved-secret-93';
const KINDS = ['user', 'gave-up', 'intensity', 'group', 'invalid'] as const;

describe("a custom transport's reason of a library kind", () => {
  const stray = useStrayErrors({ exceptions: true });

  it.each(KINDS.flatMap((kind) => [[kind, false] as const, [kind, true] as const]))(
    "'%s' (opened first: %s): reported once, a retryable drop keeping code and message, no secret",
    async (kind, opened) => {
      const given = { kind, code: 4100, message: `relay said bye (token ${SECRET})` } as unknown as Reason;
      const transport = oddTransport(given, opened);
      const { supervisor, link, errors } = oddLink(transport, `odd://svc/?token=${SECRET}`);
      const reconnecting: Reason[] = [];
      link.on('reconnecting', (event) => reconnecting.push(event.reason));
      await waitFor(() => transport.connects >= 3 || link.state === 'closed' || link.state === 'failed', {
        message: 'three connections, or the link ended',
      });
      expect(link.state).not.toMatch(/^(closed|failed)$/);
      const expected = {
        kind: 'error',
        errorCode: 'LV_ERR_TRANSPORT',
        code: 4100,
        message: 'relay said bye (token [redacted])',
      };
      expect(reconnecting.length).toBeGreaterThanOrEqual(2);
      for (const reason of reconnecting) expect(reason).toEqual(expected);
      expect(link.status().lastError).toEqual(expected);
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        [
          'LV_ERR_TRANSPORT',
          `the transport's closed() was given no valid kind ('${kind}' is the library's own)`,
        ],
      ]);
      expect(JSON.stringify([reconnecting, errors.map((e) => e.message), link.status()])).not.toContain(
        SECRET,
      );
      await supervisor.close();
      await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
      expect(stray).toEqual([]);
    },
  );

  it('a kind of its own (control): taken as given, nothing reported', async () => {
    const given = { kind: 'mine', code: 4100, message: 'relay said bye' } as unknown as Reason;
    const transport = oddTransport(given);
    const { supervisor, link, errors } = oddLink(transport);
    await waitFor(() => transport.connects >= 3, { message: 'three connections' });
    expect(link.status().lastError).toEqual(given);
    expect(errors).toEqual([]);
    await supervisor.close();
    await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
  });
});

describe("a custom transport's reason of a library kind with a close code that is no number", () => {
  const stray = useStrayErrors({ exceptions: true });

  it('the code is not kept (a string could hold anything: the secret in the link URL)', async () => {
    const given = { kind: 'user', code: `4100 ${SECRET}`, message: 'relay said bye' } as unknown as Reason;
    const transport = oddTransport(given, true);
    const supervisor = createSupervisor({
      transport,
      heartbeat: false,
      backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
    });
    const link = supervisor.connect(`odd://svc/?token=${SECRET}`);
    link.on('error', () => {});
    await waitFor(() => transport.connects >= 2, { message: 'two connections' });
    expect(link.status().lastError).toEqual({
      kind: 'error',
      errorCode: 'LV_ERR_TRANSPORT',
      message: 'relay said bye',
    });
    expect(JSON.stringify(link.status())).not.toContain(SECRET);
    await supervisor.close();
    await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
  });
});
