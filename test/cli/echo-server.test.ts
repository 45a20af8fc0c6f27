/**
 * The echo server of `linkvisor serve`, in process: echo of text and binary, a bounce (the client
 * sees 1006, the same URL answers again), stalling from the start or after a while, a close code,
 * and close() leaving nothing behind (the harness checks sockets, servers and timers).
 */

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEchoServer } from '../../src/cli/echo-server.js';
import { guardOutput } from '../../src/cli/guard-output.js';
import { runServe } from '../../src/cli/serve.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { fakeIO } from './helpers.js';

function client(h: ReturnType<typeof useHarness>, url: string) {
  const ws = new WebSocket(url);
  h.defer(() => ws.terminate());
  const got: { data: string; binary: boolean }[] = [];
  const pongs: string[] = [];
  let closed: number | undefined;
  ws.on('message', (data, binary) => got.push({ data: String(data), binary }));
  ws.on('pong', (data) => pongs.push(String(data)));
  ws.on('close', (code) => {
    closed = code;
  });
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, got, pongs, open, closed: () => closed };
}

describe('cli: the echo server of linkvisor serve', () => {
  const h = useHarness();
  const logs: string[] = [];
  const start = async (options: { stallAfterMs?: number; closeCode?: number } = {}) => {
    const server = await startEchoServer({
      host: '127.0.0.1',
      port: 0,
      stallAfterMs: options.stallAfterMs,
      closeCode: options.closeCode,
      log: (text) => logs.push(text),
    });
    h.defer(() => server.close());
    return server;
  };

  it('echoes text as text and binary as binary, answers pings; bounce drops (1006) and listens again on the same URL', async () => {
    const server = await start();
    const a = client(h, server.url);
    await a.open;
    a.ws.send('hi');
    a.ws.send(Buffer.from('bin'));
    a.ws.ping('p');
    await waitFor(() => a.got.length === 2 && a.pongs.length === 1, { message: 'echo and pong' });
    expect(a.got).toEqual([
      { data: 'hi', binary: false },
      { data: 'bin', binary: true },
    ]);
    expect(await server.bounce()).toBe(1);
    await waitFor(() => a.closed() !== undefined, { message: 'dropped' });
    expect(a.closed()).toBe(1006);
    const b = client(h, server.url);
    await b.open;
    b.ws.send('again');
    await waitFor(() => b.got.length === 1, { message: 'echo after the bounce' });
    await server.close();
    await waitFor(() => b.closed() !== undefined, { message: 'closed by close()' });
  });

  it('stallAfterMs: answers until then, nothing after (no echo, no pong)', async () => {
    const server = await start({ stallAfterMs: 300 });
    const a = client(h, server.url);
    await a.open;
    a.ws.send('early');
    await waitFor(() => a.got.length === 1, { message: 'echo before stalling' });
    await waitFor(() => logs.some((line) => /connection \d+: stalled \(--stall\)/.test(line)), {
      message: 'stalled',
    });
    a.ws.ping();
    a.ws.send('late');
    await waitFor(() => logs.some((line) => /message not echoed/.test(line)), { message: 'not echoed' });
    await waitFor(() => logs.some((line) => /ping not answered/.test(line)), { message: 'not answered' });
    expect(a.got.map((m) => m.data)).toEqual(['early']);
    expect(a.pongs).toEqual([]);
  });

  it('closeCode: each connection is closed with it once open', async () => {
    const server = await start({ closeCode: 4001 });
    const a = client(h, server.url);
    await waitFor(() => a.closed() !== undefined, { message: 'closed' });
    expect(a.closed()).toBe(4001);
  });

  it('runServe with --bounce-every: a signal mid-run ends it with 0 and leaves no timer, socket or server', async () => {
    const io = fakeIO();
    const code = runServe(
      {
        command: 'serve',
        host: '127.0.0.1',
        port: 0,
        bounceEveryMs: 50,
        stallAfterMs: 1000,
        closeCode: undefined,
      },
      io,
      guardOutput(io),
    );
    // Stopped at the end even if an expectation fails, so that the failure is the only report.
    h.defer(async () => {
      io.signal('SIGINT');
      await code;
    });
    await waitFor(() => /^ws:\/\/127\.0\.0\.1:\d+\n/.test(io.out()), { message: 'the URL' });
    // A bounce every 50 ms may land in the client's handshake on a busy machine (ECONNRESET before
    // open): a new client then tries again, until one is open.
    await waitFor(
      async () => {
        const a = client(h, io.out().trim());
        await a.open;
        return a;
      },
      { timeoutMs: 10_000, intervalMs: 20, message: 'a client open between two bounces' },
    );
    await waitFor(() => /bounce: dropped 1 connection/.test(io.err()), { message: 'a bounce' });
    await waitFor(() => (io.err().match(/bounce:/g) ?? []).length >= 3, { message: 'more bounces' });
    expect(io.listening()).toBe(1);
    io.signal('SIGINT');
    expect(await code).toBe(0);
    expect(io.listening()).toBe(0);
    expect(io.err()).toMatch(/\* SIGINT: stopped\n$/);
    // The harness then checks that no timer, socket or server is left.
  });
});
