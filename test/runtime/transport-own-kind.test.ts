/**
 * A custom transport's reason of its own kind (`closed({ kind: 'mine', message })`, which
 * docs/links.md allows: taken as given, retried) lands where a built-in transport's retryable
 * reason lands: `status().lastError`, and, once `maxAttempts` runs out, a `gave-up` failure naming
 * it. Before: the close table had no verdict for the kind (classify() returned undefined), so the
 * link retried (a verdict that is not `fatal`) yet `lastError` stayed null while `reconnecting` and
 * `lost` carried the reason, and the link failed with the raw reason instead of `gave-up`. A
 * built-in kind (`error`, ECONNRESET) is the control. Nothing left after close.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../machines/policy/close-reason.js';
import { createSupervisor, type Reason } from '../../src/index.js';
import { oddTransport } from '../helpers/odd-transport.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { waitFor } from '../helpers/wait.js';

const ROWS: [string, Reason][] = [
  ['a kind of its own', { kind: 'mine' as Reason['kind'], message: 'stream reset by the relay' }],
  ['a built-in kind (control)', { kind: 'error', errorCode: 'ECONNRESET', message: 'read ECONNRESET' }],
];

describe("a custom transport's own reason kind", () => {
  const stray = useStrayErrors({ exceptions: true });

  it('the close table calls a kind it does not know retryable (as the retry decision did)', () => {
    expect(classify({ kind: 'mine' as Reason['kind'], message: 'x' })).toBe('retryable');
  });

  it.each(ROWS)('%s: status().lastError is the reason, as in reconnecting', async (_, reason) => {
    const transport = oddTransport(reason, true);
    const supervisor = createSupervisor({
      transport,
      heartbeat: false,
      backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
    });
    const link = supervisor.connect('odd://svc');
    const reconnecting: Reason[] = [];
    link.on('reconnecting', (event) => reconnecting.push(event.reason));
    await waitFor(() => reconnecting.length >= 2, { message: 'two reconnects' });
    expect(reconnecting[0]).toEqual(reason);
    expect(link.status().lastError).toEqual(reason);
    await supervisor.close();
    await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
  });

  it.each(ROWS)('%s: maxAttempts run out, the link fails with gave-up naming it', async (_, reason) => {
    const transport = oddTransport(reason, true);
    const supervisor = createSupervisor({
      transport,
      heartbeat: false,
      backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none', maxAttempts: 2 },
    });
    const link = supervisor.connect('odd://svc');
    const failed: Reason[] = [];
    link.on('failed', (event) => failed.push(event.reason));
    await waitFor(() => link.state === 'failed', { message: 'the link failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.kind).toBe('gave-up');
    expect(failed[0]?.message).toContain(reason.message);
    expect(link.status().lastError).toEqual(reason);
    await supervisor.close();
    await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
  });
});
