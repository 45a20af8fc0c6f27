/**
 * One `resumable()` per WebSocketServer: a second on the same `wss` would answer every hello too
 * (two welcomes, two sessions for one socket). It is refused, LV_ERR_INVALID_OPTION naming `wss`,
 * until the first one's `close()`; then a new `resumable(wss)` serves it. On a real `ws` server.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss) twice on one server', () => {
  const h = useHarness();

  it('the second is refused (LV_ERR_INVALID_OPTION, wss) until the first is closed', async () => {
    const server = await h.wsServer();
    const before = server.wss.listenerCount('connection');
    const first = resumable(server.wss);
    h.defer(() => first.close());
    expect(() => resumable(server.wss)).toThrow(
      expect.objectContaining({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option: 'wss' }),
    );
    // The refused call left nothing on the server: one session per client.
    expect(server.wss.listenerCount('connection')).toBe(before + 1);
    const sessions: ResumableSession[] = [];
    first.on('session', (s) => sessions.push(s));
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    await waitFor(() => sessions.length === 1, { message: 'session' });

    // Closed, the server is free again.
    await first.close();
    const second = resumable(server.wss);
    h.defer(() => second.close());
    const later: ResumableSession[] = [];
    second.on('session', (s) => later.push(s));
    const next = new RawResumeClient();
    h.defer(() => next.close());
    expect(await next.connect(server.url)).toEqual({ outcome: 'new' });
    await waitFor(() => later.length === 1, { message: 'session on the second' });
    expect(sessions).toHaveLength(1);
  });

  it('a call refused for bad options does not hold the server', async () => {
    const server = await h.wsServer();
    expect(() => resumable(server.wss, { maxBytes: -1 })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'maxBytes' }),
    );
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
  });
});
