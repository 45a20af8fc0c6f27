/**
 * A close code is a number the transport read, not text a server wrote: a link whose URL has a
 * short query value (`?shard=100`, a secret by the URL rule: every query value is one) must still
 * say `closed with code 1001`, not `closed with code [redacted]1` (seen in a chaos run's summary),
 * while the server's close reason text quoting that value stays redacted. Real `ws` server on
 * 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('integration: a close code next to a short secret', () => {
  const h = useHarness();

  it('keeps the code whole and redacts the value in the reason text', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => setTimeout(() => ws.close(1001, 'going away from shard 100'), 20),
    });
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const link = supervisor.connect(`${server.url}/?shard=100`, { id: 'short' });
    const lost: Reason[] = [];
    link.on('lost', ({ reason }) => lost.push(reason));
    await waitFor(() => lost.length > 0, { message: 'lost once' });
    const reason = lost[0] as Reason;
    expect(reason.code).toBe(1001);
    expect(reason.message).toBe('closed with code 1001: going away from shard [redacted]');
    expect(link.status().lastError?.message).toBe(reason.message);
  });
});
