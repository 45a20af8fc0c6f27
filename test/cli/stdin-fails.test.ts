/**
 * A stdin that fails while `connect` reads it (a socket reset under it, ECONNRESET; a terminal gone,
 * EIO) is the end of input, said once: the client carries on as at the end of a pipe (the link
 * stays up until a signal; with --exit-on-eof it closes), never an uncaught 'error' that killed it
 * with a stack trace and no close frame. The real binary, its stdin a TCP socket reset by the test,
 * against a real ws server on 127.0.0.1.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { BIN, CHILD_WAIT_MS, exitCode, startNode } from './helpers.js';

describe('cli: connect, a stdin that fails', () => {
  const h = useHarness();

  it('is the end of input: the link closes cleanly (--exit-on-eof), exit 0, no stack trace', async () => {
    const closes: number[] = [];
    const got: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => {
        ws.on('message', (data) => got.push(String(data)));
        ws.on('close', (code) => closes.push(code));
      },
    });
    // A TCP socket as the child's stdin: the test's end resets it (RST) once a line went through.
    const listener = net.createServer();
    h.defer(() => new Promise<void>((resolve) => listener.close(() => resolve())));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const stdin = net.connect(port, '127.0.0.1');
    h.defer(() => stdin.destroy());
    await new Promise((resolve) => stdin.once('connect', resolve));
    const peer = await accepted;
    h.defer(() => peer.destroy());
    const cli = startNode(h, [BIN, 'connect', server.url, '--exit-on-eof'], { stdin });
    stdin.destroy();
    await cli.waitFor('stderr', /\* connected to/);
    peer.write('hello\n');
    // The child reads the line and sends it: seconds on a busy host.
    await waitFor(() => got.length === 1, { timeoutMs: CHILD_WAIT_MS, message: 'the line sent' });
    peer.resetAndDestroy();
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/\* stdin failed \(ECONNRESET\): end of input\n/);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
    await waitFor(() => closes.length === 1, { message: 'the server saw the close' });
    expect(closes).toEqual([1000]);
    expect(got).toEqual(['hello']);
  });
});
