/**
 * Every command with its output's reader gone (`2>&1 | head`: stdout and stderr a closed pipe), as
 * real child processes: no crash on EPIPE, the command closes cleanly and exits with its documented
 * code. (`connect` is covered in connect-backpressure.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { formatTrace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';
import { BIN, exitCode, shellQuote, spawnChild, startCli } from './helpers.js';

/** How long a child may take, in ms: a hang guard (tsx on a busy machine), not a speed claim. */
const WAIT_MS = 30_000;

describe('cli: stdout and stderr a closed pipe', () => {
  const h = useHarness();

  async function traceFile(): Promise<string> {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 3 });
    supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
    await clock.advance(100);
    server.dropAll(1012);
    await clock.advance(2_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-closed-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'session.jsonl');
    writeFileSync(file, formatTrace(await finish()));
    return file;
  }

  /** `linkvisor <args> 2>&1 | head -c 0`, under bash with pipefail: the command's own exit code. */
  function piped(args: string[]) {
    const command = `set -o pipefail; ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')} 2>&1 | head -c 0`;
    const child = spawnChild(h, 'bash', ['-c', command]);
    let stderr = '';
    child.proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    return { ...child, stderr: () => stderr };
  }

  it('serve: the URL finds no reader (2>&1 | head -c 0): it stops as at Ctrl-C, exit 0, no stack trace', async () => {
    const cli = piped(['serve']);
    const code = await Promise.race([cli.exited, new Promise((r) => setTimeout(r, WAIT_MS, 'hung'))]);
    expect(code, cli.stderr()).toBe(0);
  });

  it('serve: stderr and stdout closed after the URL: a client still gets its echo (lines stop), SIGTERM exits 0', async () => {
    const cli = startCli(h, ['serve']);
    const [url] = await cli.waitFor('stdout', /ws:\/\/\S+/, WAIT_MS);
    await cli.waitFor('stderr', /listening on/, WAIT_MS);
    cli.proc.stdout.destroy();
    cli.proc.stderr.destroy();
    // Each connection is logged on stderr: the first write finds no reader (EPIPE).
    for (let i = 0; i < 3; i++) {
      const ws = new WebSocket(url);
      const echo = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no echo (exit ${cli.proc.exitCode})`)), WAIT_MS);
        ws.once('open', () => ws.send(`hello ${i}`));
        ws.once('message', (data) => {
          clearTimeout(timer);
          resolve(String(data));
        });
        ws.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        ws.once('close', () => {
          clearTimeout(timer);
          reject(new Error(`closed before the echo (exit ${cli.proc.exitCode})`));
        });
      });
      expect(echo).toBe(`hello ${i}`);
      ws.removeAllListeners('close');
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    }
    cli.proc.kill('SIGTERM');
    expect(await exitCode(cli)).toBe(0);
  });

  it('inspect: the URL finds no reader (2>&1 | head -c 0): it stops as at Ctrl-C, exit 0', async () => {
    const cli = piped(['inspect', await traceFile()]);
    const code = await Promise.race([cli.exited, new Promise((r) => setTimeout(r, WAIT_MS, 'hung'))]);
    expect(code, cli.stderr()).toBe(0);
  });

  it('replay: the verdict finds no reader (2>&1 | head -c 0): exit 0 (replayed identically), no stack trace', async () => {
    const cli = piped(['replay', await traceFile()]);
    expect(await cli.exited, cli.stderr()).toBe(0);
  });

  it('a usage error whose line finds no reader: exit 2, no stack trace', async () => {
    const cli = piped(['serve', '--port', 'nope']);
    expect(await cli.exited, cli.stderr()).toBe(2);
  });
});
