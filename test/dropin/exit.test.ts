/**
 * No timer or socket keeps Node alive after close(): a child process drives an instance into a
 * state, closes it (or lets it fail), and must exit by itself soon after saying so (EXIT_WITHIN_MS, well under any wait of the library) —
 * reconnecting-websocket and partysocket keep Node alive for the rest of their backoff wait.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const child = path.join(root, 'test/dropin/fixtures/exit-child.ts');

/** How long the child may live after "done", in ms: half the shortest wait a timer left behind
 * would hold it (the child sets every wait an option sets to a minute, the heartbeat's is 30 s),
 * and over 10× a busy machine's slow exit (1.2 s measured at load 16: the old bounds of 1 s, the
 * drop-in's shortest default backoff, and of 4 s were within 3× of that, fragile on a CI host
 * slower and busier than this one). */
const EXIT_WITHIN_MS = 15_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from the "done" line to the exit. */
  lingerMs: number;
}

function run(mode: string, url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', child, mode, url], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let doneAt: number | null = null;
    const kill = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child '${mode}' still alive after 60 s; stdout: ${stdout}; stderr: ${stderr}`));
    }, 60_000); // a hang guard (start-up through tsx is slow on a busy machine), not a speed claim
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (doneAt === null && stdout.includes('done')) doneAt = Date.now();
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    // The linger ends at `exit`; the result is taken at `close`, once stdout and stderr were read
    // to their end: the "done" line can be read after the exit is seen on a busy host (then the
    // process exited with it, a linger of 0).
    let exitAt = Number.NaN;
    proc.on('exit', () => {
      exitAt = Date.now();
      clearTimeout(kill);
    });
    proc.on('close', (code) => {
      const lingerMs = doneAt === null ? Number.NaN : Math.max(0, exitAt - doneAt);
      resolve({ code, stdout, stderr, lingerMs });
    });
  });
}

describe('drop-in: nothing keeps Node alive after close()', () => {
  const h = useHarness();

  it('open, echo, close(): the process exits by itself', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.on('message', (d) => ws.send(d)) });
    const result = await run('open-close', server.url);
    expect(result.stdout).toContain('done close 1000');
    expect(result.code).toBe(0);
    expect(result.lingerMs).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('close() during a 1 min backoff wait: the process exits at once', async () => {
    const result = await run('close-in-backoff', (await h.keptPort()).url());
    expect(result.stdout).toContain('done closed while waiting');
    expect(result.code).toBe(0);
    expect(result.lingerMs).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('close() while connecting to a server that never answers: the process exits at once', async () => {
    const server = await h.netServer(() => {});
    const result = await run('close-connecting', `ws://127.0.0.1:${server.port}`);
    expect(result.stdout).toContain('done close 1000'); // partysocket's close(): code given, at once
    expect(result.code).toBe(0);
    expect(result.lingerMs).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('connection timeouts against a server that never answers do not crash Node; close() then exits', async () => {
    const server = await h.netServer(() => {});
    const result = await run('timeouts', `ws://127.0.0.1:${server.port}`);
    expect(result.stdout).toContain('done closed after 2 timeouts');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.lingerMs).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('failed on a fatal close code, without close(): the process exits by itself', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(1008, 'policy') });
    const result = await run('failed', server.url);
    expect(result.stdout).toContain('done failed 1008');
    expect(result.code).toBe(0);
    expect(result.lingerMs).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('startClosed and never connected: the process exits by itself', async () => {
    const result = await run('start-closed', 'ws://127.0.0.1:9/');
    expect(result.code).toBe(0);
    expect(result.lingerMs).toBeLessThan(EXIT_WITHIN_MS);
  });
});
