/**
 * A page refused for `maxPages`, on the page's own link (src/inspector/page/server-link.ts, with
 * ws standing in for the browser's WebSocket): it retries with its backoff (250 ms doubling to
 * 4 s, full jitter: a handful of attempts in 5 s, no hammering), shows why it is not live (the
 * server's reason), and gets in within one backoff of a slot freeing. Before, every refusal was a
 * ready link lost: the sixth within a minute sent the page's link to `coolingDown` for 30 s
 * (growing to 300 s) with no reason shown, and a page whose slot freed waited that long.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startInspector } from '../../src/inspector/index.js';
import { connectToServer } from '../../src/inspector/page/server-link.js';
import type { ServerMessage } from '../../src/inspector/protocol.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { wsUrlOf } from './page-client.js';

const h = useHarness();

describe('a refused page retries and gets in', () => {
  it('a few attempts in 5 s with the reason shown, never cooling down; in when a slot frees', async () => {
    const server = await startInspector(h.supervisor(FAST), { maxPages: 1, warn: () => {} });
    h.defer(() => server.close());
    const first = new WebSocket(wsUrlOf(server.url));
    first.on('error', () => {});
    await new Promise((resolve) => first.once('message', resolve));
    h.defer(() => first.terminate());

    const given = globalThis.WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
    h.defer(() => {
      (globalThis as { WebSocket?: unknown }).WebSocket = given;
    });
    const statuses: { state: string; reason?: string }[] = [];
    const messages: ServerMessage[] = [];
    const page = connectToServer(wsUrlOf(server.url), {
      message: (m) => messages.push(m),
      status: (s) => statuses.push(s),
    });
    h.defer(() => page.close());
    const started = Date.now();

    // A retry comes (a hang guard: the second attempt is due within 250 ms, later on a busy host)…
    await waitFor(() => server.refusedPages() >= 2, { timeoutMs: 20_000, message: 'a second refusal' });
    // …and no hammering: full jitter over 250, 500, 1000, 2000, 4000 ms, at most ~10 attempts in
    // 5 s however it falls.
    await sleep(Math.max(0, 5_000 - (Date.now() - started)));
    expect(server.refusedPages()).toBeLessThanOrEqual(12);
    const reasons = statuses.filter((s) => s.state === 'reconnecting').map((s) => s.reason);
    expect(reasons[0]).toContain('too many pages open (maxPages 1)');

    // Six refusals within a minute (their backoffs sum to at most 11.75 s): the page must have
    // taken six losses, each a retry, never a cool-down (the sixth would have started one).
    const losses = () => statuses.filter((s) => s.state === 'reconnecting' || s.state === 'coolingDown');
    await waitFor(() => losses().length >= 6, {
      timeoutMs: 60_000,
      message: 'six refusals seen by the page',
    });
    expect(losses().map((s) => s.state)).toEqual(Array(losses().length).fill('reconnecting'));
    expect(statuses.map((s) => s.state)).not.toContain('coolingDown');
    first.close();
    // In within one backoff (at most 4 s; a hang guard here): the server's hello comes to an
    // admitted page only (a refused one is live for the moment its close takes, then retries).
    // Its hello may take long on a loaded machine (chart layouts): a hang guard, not a claim.
    await waitFor(() => messages.some((m) => m.type === 'hello'), {
      timeoutMs: 60_000,
      message: 'the waiting page admitted (its hello)',
    });
    expect(statuses.at(-1)?.state).toBe('live');
  }, 180_000);
});
