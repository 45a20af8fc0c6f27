/**
 * `connect --record <named pipe>` whose reader holds the pipe open and never reads: the client
 * used to write each trace line with writeSync, so once the pipe's buffer was full the whole
 * process stopped in write(2): no heartbeat, no reconnect, no Ctrl-C. Now the lines wait in memory
 * (bounded: src/cli/trace-pipe.ts), the stall is said, later steps are counted as dropped, and the
 * client goes on: it reconnects, and Ctrl-C ends it with the count. A real FIFO (mkfifo), a real
 * reader process, the real binary, a real ws server; bounds are hang guards, not speed claims.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { exitCode, spawnChild, startCli } from './helpers.js';

const HAS_MKFIFO = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;
/** Hang guard for a child on a busy machine (the stall needs ~1 MiB of records: a few thousand). */
const WAIT_MS = 120_000;

describe.skipIf(!HAS_MKFIFO)('cli: --record to a named pipe nobody reads from', () => {
  const h = useHarness();

  it('the client goes on (reconnects, hears Ctrl-C); dropped steps are counted and said', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-stall-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'trace.pipe');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    // Holds the pipe open (read and write: its open never waits), never reads it.
    const reader = spawnChild(h, 'sh', ['-c', 'exec 3<>"$1"; echo ready; exec sleep 600', 'sh', file]);
    await new Promise((resolve) => reader.proc.stdout.once('data', resolve));
    const server = await h.wsServer();
    let connections = 0;
    server.wss.on('connection', () => connections++);
    // A heartbeat every millisecond: two records a ping, the pipe full within seconds.
    const cli = startCli(h, [
      'connect',
      server.url,
      '--heartbeat',
      '1:10000',
      '--no-stdin',
      '--record',
      file,
    ]);
    await cli.waitFor(
      'stderr',
      /trace: .*trace\.pipe is not read \(\d+ bytes waiting\); it ends here/,
      WAIT_MS,
    );
    // Still running: its socket dropped, it reconnects.
    await waitFor(() => connections === 1, { message: 'connected', timeoutMs: WAIT_MS });
    for (const ws of server.wss.clients) ws.terminate();
    await waitFor(() => connections === 2, { message: 'reconnected', timeoutMs: WAIT_MS });
    cli.proc.kill('SIGINT');
    expect(await exitCode(cli, WAIT_MS), cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/trace in .*trace\.pipe is partial \(\d+ steps, [1-9]\d* dropped\)/);
  }, 300_000);
});
