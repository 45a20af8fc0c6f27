/**
 * maxPayloadBytes: an inbound message larger than the limit never reaches the application; the
 * socket is dropped (ws closes it with 1009) and, like a server's own 1009 close, that is fatal
 * (the close table) unless `shouldReconnect` says retry. Messages within the limit pass, text as
 * strings and binary as Buffers.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('inbound payload limit', () => {
  const h = useHarness();

  it('defaults far below ws’s 100 MiB', () => {
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBe(16 * 1024 * 1024);
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBeLessThan(100 * 1024 * 1024);
  });

  it('a socket that sends more than maxPayloadBytes: nothing of it delivered, the link fails like a 1009', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        ws.send('small');
        ws.send('x'.repeat(2_000));
      },
    });
    const supervisor = h.supervisor({ backoff: { initialDelayMs: 20, maxDelayMs: 50, jitter: 'none' } });
    const link = supervisor.connect(server.url, { maxPayloadBytes: 1_024 });
    const messages: unknown[] = [];
    link.on('message', (data) => messages.push(data));
    await waitFor(() => link.state === 'failed', { timeoutMs: 5_000 });
    expect(messages).toEqual(['small']);
    expect(link.status().failure).toMatchObject({
      kind: 'error',
      errorCode: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
    });
    expect(server.connections).toBe(1);
  });

  it('with shouldReconnect saying retry: drops the socket, delivers nothing of it, and reconnects', async () => {
    let sent = false;
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (sent) return;
        sent = true;
        ws.send('small');
        ws.send(Buffer.from([1, 2, 3]));
        ws.send('x'.repeat(2_000));
      },
    });
    const supervisor = h.supervisor({ backoff: { initialDelayMs: 20, maxDelayMs: 50, jitter: 'none' } });
    const link = supervisor.connect(server.url, { maxPayloadBytes: 1_024, shouldReconnect: () => true });
    const messages: unknown[] = [];
    link.on('message', (data) => messages.push(data));
    const reasons: unknown[] = [];
    link.on('reconnecting', ({ reason }) => reasons.push(reason));
    await waitFor(() => server.connections >= 2 && link.state === 'ready', { timeoutMs: 5_000 });
    expect(messages[0]).toBe('small');
    expect(Buffer.isBuffer(messages[1])).toBe(true);
    expect([...(messages[1] as Buffer)]).toEqual([1, 2, 3]);
    expect(messages).toHaveLength(2);
    expect(reasons[0]).toMatchObject({ kind: 'error', errorCode: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' });
  });
});
