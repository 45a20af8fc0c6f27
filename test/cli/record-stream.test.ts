/**
 * `linkvisor connect --record <file>` streams the trace as it is made, as a real child process
 * against a real ws server, with a heartbeat every millisecond (two records a ping): thousands of
 * records. The file grows while the client runs (header first, whole lines), the client's heap
 * after a full GC (heap-probe.mjs) stays where it was while 5,000 more records pile up on disk,
 * where keeping every record grew it by ~0.8 KB a record (~3.7 MiB); after Ctrl-C the file is a
 * whole trace, and after SIGKILL still a valid one that replays identically. A file that cannot be
 * written is a usage error before anything connects.
 *
 * The test counts the lines on disk by reading only what was appended since it last looked: reading
 * and splitting the whole growing file at every poll (as it once did) took CPU from the test's
 * process, which also answers the client's pings: 10,000 records took 41–53 s instead of 14 s, and
 * at load 16 the test ran out of its 120 s (BENCHMARKS.md "Round 22 (flaky)").
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/trace/trace-format.js';
import { type Harness, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { BIN, exitCode, spawnChild, startCli } from './helpers.js';

const MiB = 1024 * 1024;
/** Hang guard for a child (tsx on a busy machine), not a speed claim. */
const WAIT_MS = 120_000;
/** Records made before the first heap sample: the client's warm-up (its first ~2,000 records grow
 * its heap by ~0.5 MB whether it keeps them or not; after them it stays within ~0.1 MB). */
const WARM_UP = 2_000;
/** Records the run makes between the two heap samples; kept in memory they hold ~3.7 MiB. */
const RECORDS = 5_000;
/** The most the heap may grow between the samples: streamed, it grows by ~0.1 MB (0.6 MB if the
 * first sample came before the warm-up was over); kept, by ~3.7 MiB. */
const HEAP_GROWTH_LIMIT = 1.5 * MiB;

/** Counts the lines of a growing file, reading only the bytes appended since the last call (0
 * while the file is not there). */
function lineCounter(file: string): () => number {
  const buffer = Buffer.alloc(256 * 1024);
  let offset = 0;
  let count = 0;
  return () => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return count;
    }
    try {
      for (let got = readSync(fd, buffer, 0, buffer.length, offset); got > 0; ) {
        offset += got;
        for (let i = buffer.indexOf(10); i !== -1 && i < got; i = buffer.indexOf(10, i + 1)) count++;
        got = readSync(fd, buffer, 0, buffer.length, offset);
      }
    } finally {
      closeSync(fd);
    }
    return count;
  };
}

/** The records on disk: every whole line after the header. */
function recordCounter(file: string): () => number {
  const lines = lineCounter(file);
  return () => Math.max(0, lines() - 1);
}

/** The client with heap-probe.mjs loaded: `heap()` collects garbage in it and gives its heap in use. */
function startProbed(h: Harness, args: string[], probe: string) {
  const { proc, exited } = spawnChild(
    h,
    process.execPath,
    ['--expose-gc', '--import', './test/cli/heap-probe.mjs', BIN, ...args],
    { ...process.env, LV_HEAP_PROBE: probe },
  );
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const samples = lineCounter(probe);
  return {
    proc,
    exited,
    stderr: () => stderr,
    async heap(): Promise<number> {
      const before = samples();
      proc.kill('SIGUSR2');
      await waitFor(() => samples() > before, { timeoutMs: WAIT_MS, message: 'a heap sample' });
      return Number(readFileSync(probe, 'utf8').trim().split('\n').at(-1));
    },
  };
}

describe('cli: connect --record streams the trace', () => {
  const h = useHarness();

  function tempFile(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-record-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'trace.jsonl');
  }

  const args = (url: string, file: string) => [
    'connect',
    url,
    '--heartbeat',
    '1:10000',
    '--no-stdin',
    '--record',
    file,
  ];

  it('writes each record as it is made with bounded memory; after Ctrl-C the file is a whole trace', async () => {
    const server = await h.wsServer();
    const file = tempFile();
    const cli = startProbed(h, args(server.url, file), `${file}.heap`);
    const records = recordCounter(file);
    // The header and the first records are on disk while the client runs.
    await waitFor(() => records() >= WARM_UP, {
      timeoutMs: WAIT_MS,
      intervalMs: 20,
      message: 'the first records on disk',
    });
    const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
    expect(JSON.parse(first)).toMatchObject({ kind: 'header', format: 'linkvisor-trace' });
    const start = records();
    const before = await cli.heap();
    await waitFor(() => records() >= start + RECORDS, {
      timeoutMs: WAIT_MS,
      intervalMs: 20,
      message: `${RECORDS} more records on disk (${records()}; stderr ${JSON.stringify(cli.stderr())})`,
    });
    const after = await cli.heap();
    const growth = after - before;
    // BENCHMARKS.md "Round 18 (gaps)": LV_MEASURE=1 prints what this run measured.
    if (process.env.LV_MEASURE)
      console.log('measured', { before, after, growth, records: records() - start });
    expect(growth, `heap growth over ${RECORDS} records: ${growth} B`).toBeLessThan(HEAP_GROWTH_LIMIT);
    cli.proc.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const trace = parseTrace(text);
    expect(trace.records.length).toBeGreaterThanOrEqual(start + RECORDS);
    expect(cli.stderr()).toContain(`trace saved to ${file} (${trace.records.length} steps)`);
  });

  it('killed mid-way (SIGKILL): the file is whole lines from the header on, a valid trace that replays', async () => {
    const server = await h.wsServer();
    const file = tempFile();
    const cli = startCli(h, args(server.url, file));
    const records = recordCounter(file);
    await waitFor(() => records() >= 1_000, {
      timeoutMs: WAIT_MS,
      intervalMs: 20,
      message: 'records on disk',
    });
    cli.proc.kill('SIGKILL');
    expect(await cli.exited).toBe('SIGKILL');
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseTrace(text).records.length).toBeGreaterThanOrEqual(1_000);
    const replay = startCli(h, ['replay', file]);
    expect(await exitCode(replay, WAIT_MS), replay.stderr).toBe(0);
  });

  it('a file that cannot be written is a usage error at once (exit 2), nothing connects', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: () => {
        connections++;
      },
    });
    const cli = startCli(h, args(server.url, path.join(tempFile(), 'no-such-dir', 'trace.jsonl')));
    expect(await exitCode(cli, WAIT_MS)).toBe(2);
    expect(cli.stderr).toMatch(
      /^linkvisor: --record: cannot write .*trace\.jsonl \(ENOENT\) \[LV_ERR_IO\]\n$/,
    );
    expect(connections).toBe(0);
  });
});
