/**
 * `connect --record <named pipe>` through the real binary: a pipe that nobody reads is refused at
 * once (exit 2, LV_ERR_IO naming ENXIO) where the client used to wait in open(2) with its event
 * loop stopped, deaf to Ctrl-C and SIGTERM; a pipe with a reader gets the trace, which replays.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, spawnChild, startCli } from './helpers.js';

const HAS_MKFIFO = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!HAS_MKFIFO)('cli: --record to a named pipe', () => {
  const h = useHarness();

  function fifo(): { dir: string; file: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-fifo-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'trace.pipe');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    return { dir, file };
  }

  it('nobody reads it: refused at once, exit 2, no hang', async () => {
    const { file } = fifo();
    const cli = startCli(h, ['connect', 'ws://127.0.0.1:9/', '--no-stdin', '--record', file]);
    // Before: no exit, and SIGINT / SIGTERM were not heard (the loop waited in open(2)).
    const timer = setTimeout(() => cli.proc.kill('SIGTERM'), 15_000);
    h.defer(() => clearTimeout(timer));
    expect(await exitCode(cli), cli.stderr).toBe(2);
    expect(cli.stderr).toMatch(
      /^linkvisor: --record: cannot write .*trace\.pipe \(ENXIO: a named pipe that nobody reads\) \[LV_ERR_IO\]\n$/,
    );
  });

  it('a reader gets the trace, and it replays', async () => {
    const { dir, file } = fifo();
    const out = path.join(dir, 'copy.jsonl');
    const reader = spawnChild(h, 'sh', ['-c', 'cat "$1" > "$2"', 'sh', file, out]);
    const server = await h.wsServer({ onConnection: (ws) => setTimeout(() => ws.close(1008, 'policy'), 50) });
    // The reader opens the pipe when its shell has started: the client may come first (ENXIO,
    // exit 2), so it tries again until the reader is there.
    let code: number | string = 2;
    let stderr = '';
    for (let i = 0; i < 50 && code === 2; i++) {
      const cli = startCli(h, ['connect', server.url, '--heartbeat', 'off', '--no-stdin', '--record', file]);
      code = await exitCode(cli);
      stderr = cli.stderr;
      if (code === 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(code, stderr).toBe(1); // the policy close: fatal
    expect(await reader.exited).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\{"kind":"header"/);
    const replay = startCli(h, ['replay', out]);
    expect(await exitCode(replay), replay.stderr).toBe(0);
  });

  it('a UNIX socket is said to be one, not a named pipe (exit 2)', async () => {
    const { dir } = fifo();
    const file = path.join(dir, 'server.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(file, resolve));
    h.defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const cli = startCli(h, ['connect', 'ws://127.0.0.1:9/', '--no-stdin', '--record', file]);
    expect(await exitCode(cli), cli.stderr).toBe(2);
    // Before: '(ENXIO: a named pipe that nobody reads)'.
    expect(cli.stderr).toMatch(
      /^linkvisor: --record: cannot write .*server\.sock \(ENXIO: a socket, not a file\) \[LV_ERR_IO\]\n$/,
    );
  });

  it('a directory that does not exist: exit 2 naming ENOENT', async () => {
    const { dir } = fifo();
    const cli = startCli(h, [
      'connect',
      'ws://127.0.0.1:9/',
      '--no-stdin',
      '--record',
      path.join(dir, 'no', 'x.jsonl'),
    ]);
    expect(await exitCode(cli), cli.stderr).toBe(2);
    expect(cli.stderr).toMatch(/^linkvisor: --record: cannot write .*x\.jsonl \(ENOENT\) \[LV_ERR_IO\]\n$/);
  });
});
