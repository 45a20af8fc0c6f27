/**
 * A session's store failures are reported once per run AND kind (./failure-runs.ts): a session
 * resumed from a durable store after a restart whose marking write fails (reported), then whose
 * ack write fails too. Before round 42 one report stood for the whole run: the ack write's failure,
 * a different one (the data the client is not acknowledged for), went unreported. Each report's
 * store error is redacted (the store's message quotes the session id). Real `ws` servers on
 * 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, resumable, type SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe("a session's failures of different kinds", () => {
  const h = useHarness();

  it('a failed marking write, then failed ack writes: one report each kind, the id in none', async () => {
    const inner = memoryStore();
    const ids = new Set<string>();
    const state = { down: false, puts: 0 };
    const store: SessionStore = {
      durable: true,
      get: (id) => inner.get(id),
      put: async (id, record, ttlMs) => {
        state.puts++;
        if (state.down) throw new Error(`write of session ${id} failed`);
        ids.add(id);
        inner.put(id, record, ttlMs);
      },
      delete: (id) => inner.delete(id),
    };
    const first = await h.wsServer();
    const rs1 = resumable(first.wss, { store, ackEveryMessages: 1 });
    const client = new RawResumeClient({ ackEveryMessages: 1 });
    h.defer(() => client.close());
    expect(await client.connect(first.url)).toEqual({ outcome: 'new' });
    await rs1.close();
    await first.stop();
    const [id] = [...ids] as [string];

    const second = await h.wsServer();
    const rs2 = resumable(second.wss, { store, ackEveryMessages: 1 });
    h.defer(() => rs2.close());
    const errors: Error[] = [];
    rs2.on('error', (error) => errors.push(error));
    const got: string[] = [];
    rs2.on('session', (s) => s.on('message', (d) => got.push(String(d))));
    state.down = true;
    // Resumed from the store: its marking write fails.
    expect(await client.connect(second.url)).toMatchObject({ outcome: 'resumed' });
    await waitFor(() => errors.length === 1, { message: 'the marking write failed' });
    // Each message's ack write fails: a different kind, reported once.
    for (const text of ['c1', 'c2', 'c3']) {
      const before = state.puts;
      client.send(text);
      await waitFor(() => got.includes(text) && state.puts > before, { message: `${text}'s write` });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(errors.map((e) => e.message)).toEqual([
      'the session store failed to put',
      'the session store failed to put',
    ]);
    for (const error of errors) expect(`${String(error.cause)} ${JSON.stringify(error)}`).not.toContain(id);
    // Not acknowledged: the client keeps c1..c3.
    expect(client.core.stream.bufferedMessages).toBe(3);
  });
});
