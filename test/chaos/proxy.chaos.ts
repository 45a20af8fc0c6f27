/**
 * The instrument first: each fault of the chaos proxy does what it says, on raw TCP and on a real
 * `ws` connection, and stops leave nothing open. The scenarios' verdicts are only as good as this.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useHarness } from '../helpers/harness.js';
import { HOST } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'proxy self-test';

describe('chaos proxy', () => {
  const h = useHarness();

  async function echoProxy() {
    const server = await h.netServer((socket) => socket.pipe(socket));
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    return { server, proxy };
  }

  /** A raw client: everything it reads, and how many reads it took. */
  async function rawClient(port: number) {
    const socket = net.connect(port, HOST);
    h.defer(() => socket.destroy());
    const state = { data: Buffer.alloc(0), reads: 0, ended: false, endedAt: 0, error: null as string | null };
    socket.on('data', (chunk: Buffer) => {
      state.data = Buffer.concat([state.data, chunk]);
      state.reads++;
    });
    socket.on('end', () => {
      state.ended = true;
      state.endedAt = performance.now();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      state.error = error.code ?? error.message;
    });
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('error', () => resolve());
    });
    return { socket, state };
  }

  it('pass-through carries a ws echo; refuse() gives ECONNREFUSED; accept() reopens the same port', async () => {
    const ws = await h.wsServer({
      onConnection: (s) => s.on('message', (d, binary) => s.send(d, { binary })),
    });
    const proxy = await ChaosProxy.start({ targetPort: ws.port });
    h.defer(() => proxy.stop());
    const client = new WebSocket(proxy.url('/?link=7'));
    h.defer(() => client.terminate());
    await new Promise((resolve) => client.once('open', resolve));
    client.send('hello');
    const echo = await new Promise<string>((resolve) =>
      client.once('message', (data) => resolve(String(data))),
    );
    expect(echo).toBe('hello');
    expect(proxy.connectionsOf('7')).toHaveLength(1);
    client.terminate();

    await proxy.refuse();
    const refused = await rawClient(proxy.port);
    expect(refused.state.error).toBe('ECONNREFUSED');
    await proxy.accept();
    const again = await rawClient(proxy.port);
    expect(again.state.error).toBeNull();
  });

  it.each(['accept', 'request'] as const)('resetOn(%s): the client sees ECONNRESET', async (point) => {
    const { proxy } = await echoProxy();
    proxy.resetOn(point);
    const { socket, state } = await rawClient(proxy.port);
    socket.write('GET /?link=1 HTTP/1.1\r\n\r\n');
    await waitFor(() => state.error, { message: 'a reset' });
    expect(state.error).toBe('ECONNRESET');
  });

  it('resetOn(response): a ws client is reset in the middle of the upgrade', async () => {
    const ws = await h.wsServer();
    const proxy = await ChaosProxy.start({ targetPort: ws.port });
    h.defer(() => proxy.stop());
    proxy.resetOn('response');
    const client = new WebSocket(proxy.url());
    h.defer(() => client.terminate());
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => client.once('error', resolve));
    expect(error.code).toBe('ECONNRESET');
    await waitFor(() => ws.upgrades === 1, { message: 'the upgrade reached the server' });
  });

  it('slice(1..64): the bytes arrive intact, in many more reads', async () => {
    const { proxy } = await echoProxy();
    proxy.slice({ min: 1, max: 64 });
    const { socket, state } = await rawClient(proxy.port);
    const payload = Buffer.from(Array.from({ length: 8192 }, (_, i) => i % 251));
    socket.write(payload);
    await waitFor(() => state.data.length === payload.length, { message: 'all bytes back' });
    expect(state.data.equals(payload)).toBe(true);
    // Both directions sliced: at least one read per 64 bytes on the way back.
    expect(state.reads).toBeGreaterThanOrEqual(payload.length / 64);
    figure(SCENARIO, 'slice 1..64: reads for 8 KiB', state.reads, '≥ 128');
  });

  it('latency(50) each way: a round trip takes at least 100 ms', async () => {
    const { proxy } = await echoProxy();
    proxy.latency(50);
    const { socket, state } = await rawClient(proxy.port);
    const start = performance.now();
    socket.write('x');
    await waitFor(() => state.data.length === 1, { message: 'the echo' });
    const rtt = performance.now() - start;
    expect(rtt).toBeGreaterThanOrEqual(99);
    figure(SCENARIO, 'latency 50 ms each way: round trip (ms)', rtt, '≥ 100');
  });

  it('bandwidth(64 KiB/s) one way: 16 KiB take at least 250 ms', async () => {
    const { proxy } = await echoProxy();
    proxy.bandwidth(64 * 1024, 'down');
    const { socket, state } = await rawClient(proxy.port);
    const start = performance.now();
    socket.write(Buffer.alloc(16 * 1024, 1));
    await waitFor(() => state.data.length === 16 * 1024, { message: 'all bytes back' });
    const took = performance.now() - start;
    expect(took).toBeGreaterThanOrEqual(240);
    figure(SCENARIO, 'bandwidth 64 KiB/s: 16 KiB took (ms)', took, '≥ 250 − 10');
  });

  it('blackhole then heal: nothing passes while held, everything in order after', async () => {
    const { proxy } = await echoProxy();
    const { socket, state } = await rawClient(proxy.port);
    socket.write('a');
    await waitFor(() => state.data.length === 1, { message: 'a' });
    proxy.blackhole('up');
    socket.write('bc');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(String(state.data)).toBe('a');
    expect(proxy.waiting).toBeGreaterThan(0);
    proxy.heal();
    await waitFor(() => state.data.length === 3, { message: 'b and c after heal' });
    expect(String(state.data)).toBe('abc');
  });

  it('cut(n): exactly n more bytes pass, then both sides are closed', async () => {
    const { proxy } = await echoProxy();
    const { socket, state } = await rawClient(proxy.port);
    socket.write('0123');
    await waitFor(() => state.data.length === 4, { message: 'first bytes' });
    proxy.cut(5, 'down');
    socket.write('456789abcdef');
    await waitFor(() => state.ended || state.error, { message: 'the cut' });
    expect(String(state.data)).toBe('012345678');
    expect(proxy.cuts).toBe(1);
  });

  it('finDelay(150): the FIN is passed on 150 ms late, after the data', async () => {
    const server = await h.netServer((s) => {
      s.write('bye');
      s.end();
    });
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    proxy.finDelay(150, 'down');
    const { socket, state } = await rawClient(proxy.port);
    const start = performance.now();
    // The proxy connects upstream on the client's first bytes (it reads the request line first).
    socket.write('hi');
    await waitFor(() => state.ended, { message: 'the delayed FIN' });
    expect(String(state.data)).toBe('bye');
    expect(state.endedAt - start).toBeGreaterThanOrEqual(140);
  });
});
