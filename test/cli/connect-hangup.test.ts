/**
 * `connect` and SIGHUP (its terminal closed, an ssh session dropped): the link is closed as at
 * SIGTERM, with a close frame (1000) the server sees, exit 0. Before, Node's default for SIGHUP
 * killed the client where it stood: the server saw the connection drop (1006), no close frame.
 * The real binary against a real ws server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { exitCode, startCli } from './helpers.js';

describe('cli: connect, SIGHUP', () => {
  const h = useHarness();

  it('closes the link with a close frame, as SIGTERM does, exit 0', async () => {
    const codes: number[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('close', (code: number) => codes.push(code)),
    });
    const cli = startCli(h, ['connect', server.url, '--heartbeat', 'off']);
    await cli.waitFor('stderr', /\* connected to/);
    cli.proc.kill('SIGHUP');
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/\* SIGHUP: closing\n\* closed\n$/);
    // The server hears the close once the socket ends, a moment after the client's exit.
    await waitFor(() => codes.length > 0, { message: 'the server saw the connection close' });
    expect(codes).toEqual([1000]);
  });
});
