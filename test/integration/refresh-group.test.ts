/**
 * The group's retry made at once (a member restarted by its group, reason kind `group`) cannot be
 * driven into a loop by a server that accepts then rejects credentials: against real ws servers on
 * 127.0.0.1, a one-for-all group of two links with per-attempt URL functions, restart intensity
 * off, one member's server closing every session with 3000 right after accepting it. That member
 * refreshes once, then fails (the second rejection before it was stable); its sibling is restarted
 * once per loss, never again and again. A group restart restarts nobody (machines/socket-setup.ts
 * `restartsGroup`), and a loss is at once only as a refresh, once per stable period, so a group's
 * restarts are bounded by its members' own losses.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('integration: a group whose member is rejected right after it is accepted', () => {
  const h = useHarness();

  it('one-for-all, intensity off: the rejected member fails after one refresh; its sibling restarts once per loss', async () => {
    const rejecting = await h.wsServer({ onConnection: (ws) => ws.close(3000, 'unauthorized') });
    const healthy = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const seen: (Reason | null)[] = [];
    const group = supervisor.connectGroup(
      [
        ({ lastReason }) => {
          seen.push(lastReason);
          return rejecting.url;
        },
        () => healthy.url,
      ],
      { id: 'feeds', strategy: 'one-for-all' },
    );
    const [rejected, sibling] = group.links;
    if (!rejected || !sibling) throw new Error('two members');
    let restarts = 0;
    group.on('restart', () => restarts++);
    // Until failed, or a loop shows (hundreds of connections in seconds); a generous bound, not a
    // window the member must fail in (a busy host takes seconds for two attempts).
    await waitFor(() => rejected.state === 'failed' || rejecting.connections > 3, {
      timeoutMs: 20_000,
      message: 'failed, or a loop of connections',
    });
    await sleep(300);
    expect(rejecting.connections).toBeLessThanOrEqual(3);
    expect(rejected.state).toBe('failed');
    expect(seen).toEqual([null, expect.objectContaining({ kind: 'close', code: 3000 })]);
    // Each loss of the rejected member while ready restarts its sibling once: at most two.
    expect(restarts).toBeLessThanOrEqual(2);
    expect(healthy.connections).toBeLessThanOrEqual(3);
    await waitFor(() => sibling.state === 'ready', { message: 'the sibling ready' });
  });
});
