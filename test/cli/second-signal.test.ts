/**
 * A second Ctrl-C while `connect` closes (a peer that never answers the close frame holds the
 * first one for the link's close timeout) ends the client at once with exit 130, and
 * `SIGINT again: exiting now` is its last line: the close it abandoned said `closed` after it.
 * The real binary against a real ws server on 127.0.0.1 that stops reading once connected.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

describe('cli: connect, a second signal', () => {
  const h = useHarness();

  it('exits 130 at once, `exiting now` its last line', async () => {
    const server = await h.wsServer({
      // Deaf once connected: the close frame is never read, so the first close waits.
      onConnection: (ws) => (ws as unknown as { _socket: { pause(): void } })._socket.pause(),
    });
    const cli = startCli(h, ['connect', server.url, '--heartbeat', 'off']);
    await cli.waitFor('stderr', /\* connected to/);
    cli.proc.kill('SIGINT');
    await cli.waitFor('stderr', /\* SIGINT: closing\n/);
    cli.proc.kill('SIGINT');
    expect(await exitCode(cli), cli.stderr).toBe(130);
    expect(cli.stderr).toMatch(/\* SIGINT: closing\n\* SIGINT again: exiting now\n$/);
  });
});
