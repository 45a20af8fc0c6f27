/**
 * A group's restart (reason kind `group`, made at once) does not end a member's refresh trial:
 * against real ws servers on 127.0.0.1, a one-for-all group of two links with per-attempt URL
 * functions, restart intensity off, the fast backoff; one member's server closes every session
 * with 3000 100 ms after accepting it, the other's drops every session (1006) right after
 * accepting it. The sibling's drops restart the rejected member at once, again and again; it
 * refreshes once, then fails at its second rejection. A disconnect that is no rejection ends the
 * trial because what follows it waits (the backoff, a cool-down, suspended until the network is
 * back: machines/connection-retry.ts `withReason`); a group restart does not wait, and ending the
 * trial there made every 3000 "a first one" again: the rejecting server was reconnected to without
 * end (27 connections in 2 s, the member never failed). The second case pins the single link: a
 * server alternating 3000 and a drop (1006) gets the refresh at once and then the backoff's wait
 * (the drop's retry waits, as before the refresh mark's change), never a loop.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('integration: group restarts inside a refresh trial', () => {
  const h = useHarness();

  it('one-for-all: a sibling dropped after each accept does not keep the rejected member refreshing', async () => {
    const rejecting = await h.wsServer({
      onConnection: (ws) => {
        const timer = setTimeout(() => ws.close(3000, 'unauthorized'), 100);
        ws.on('close', () => clearTimeout(timer));
      },
    });
    const dropping = await h.wsServer({
      onConnection: (ws) => {
        const timer = setTimeout(() => ws.terminate(), 5);
        ws.on('close', () => clearTimeout(timer));
      },
    });
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const group = supervisor.connectGroup([() => rejecting.url, () => dropping.url], {
      id: 'feeds',
      strategy: 'one-for-all',
    });
    const [rejected] = group.links;
    if (!rejected) throw new Error('two members');
    const refreshes: number[] = [];
    rejected.on('reconnecting', ({ reason }) => {
      if (reason.kind === 'close' && reason.code === 3000) refreshes.push(Date.now());
    });
    // Until failed, or a loop shows (it refreshed about every 150 ms, never failing); a generous
    // bound, not a window the member must fail in (a busy host takes seconds for two attempts).
    await waitFor(() => rejected.state === 'failed' || refreshes.length > 1, {
      timeoutMs: 20_000,
      message: 'failed, or a second refresh',
    });
    expect(rejected.state).toBe('failed');
    expect(refreshes).toHaveLength(1);
    const connections = rejecting.connections;
    await sleep(500);
    expect(rejecting.connections).toBe(connections);
    await supervisor.close();
  });

  it('one link, a server alternating 3000 and a drop (1006) after each accept: each drop waits the backoff', async () => {
    let sessions = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (sessions++ % 2 === 0) ws.close(3000, 'unauthorized');
        else ws.terminate();
      },
    });
    // The backoff is 30 s: the drop's retry waits it, so the refresh (at once) cannot loop.
    const slow = { ...FAST, backoff: { ...FAST.backoff, initialDelayMs: 30_000, maxDelayMs: 30_000 } };
    const supervisor = h.supervisor({ ...slow, intensity: false });
    const link = supervisor.connect(() => server.url);
    await waitFor(() => server.connections >= 2, { message: 'the fresh attempt' });
    // The drop seen (the link's side of the socket, on its own event): waiting out the backoff.
    await waitFor(() => link.state === 'reconnecting', { timeoutMs: 20_000, message: 'reconnecting' });
    await sleep(1_500);
    expect(server.connections).toBe(2);
    expect(link.state).toBe('reconnecting');
    await supervisor.close();
  });
});
