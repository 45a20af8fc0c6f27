/**
 * `timeout 10 linkvisor connect …` (coreutils) sends SIGTERM and then SIGCONT at once, in case the
 * process was stopped. Through the real binary against a real ws server on 127.0.0.1: a SIGCONT
 * while the client is closing is no "continued; checking the link" (nothing is checked any more);
 * the client closes as at SIGTERM alone, exit 0. The process may hear the two in either order
 * (a full `npm test` once saw the SIGCONT first): a SIGCONT is handled a moment after it is heard
 * (CONTINUE_SETTLE_MS, src/cli/io.ts), so a SIGTERM right behind it still wins.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

describe('cli: SIGCONT right after SIGTERM (coreutils timeout)', () => {
  const h = useHarness();

  it('closes without "checking the link"', async () => {
    const server = await h.wsServer();
    const cli = startCli(h, ['connect', server.url, '--heartbeat', 'off', '--no-stdin']);
    await cli.waitFor('stderr', /\* connected to /);
    cli.proc.kill('SIGTERM');
    cli.proc.kill('SIGCONT');
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toContain('* SIGTERM: closing\n');
    expect(cli.stderr).not.toContain('SIGCONT');
    expect(cli.stderr.endsWith('* closed\n')).toBe(true);
  });

  it('a SIGCONT heard before its SIGTERM is no "checking the link" either', async () => {
    const server = await h.wsServer();
    const cli = startCli(h, ['connect', server.url, '--heartbeat', 'off', '--no-stdin']);
    await cli.waitFor('stderr', /\* connected to /);
    cli.proc.kill('SIGCONT');
    cli.proc.kill('SIGTERM');
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toContain('* SIGTERM: closing\n');
    expect(cli.stderr).not.toContain('SIGCONT');
    expect(cli.stderr.endsWith('* closed\n')).toBe(true);
  });
});
