/**
 * `linkvisor connect --record <file>` streams the trace as it is made, as a real child process
 * against a real ws server, with a heartbeat every millisecond (two records a ping): tens of
 * thousands of records. The file grows while the client runs (header first, whole lines), the
 * client's heap after a full GC (heap-probe.mjs) stays where it was while the records pile up on
 * disk, where keeping every record grew it by ~0.6 KB a record; after Ctrl-C the file is a whole
 * trace, and after SIGKILL still a valid one that replays identically. A file that cannot be
 * written is a usage error before anything connects.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
/** Records the run makes between the two heap samples (about 25 s of pings on a busy machine);
 * kept in memory they held ~20 MB. */
const RECORDS = 30_000;
/** The most the heap may grow between the samples: streamed, it does not grow at all. */
const HEAP_GROWTH_LIMIT = 6 * MiB;

/** Lines in `file` (0 if it is not there yet). */
/** The records on disk: every whole line after the header. */
function records(file: string): number {
  return Math.max(0, lines(file) - 1);
}

function lines(file: string): number {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length === 0 ? 0 : text.split('\n').length - 1;
  } catch {
    return 0;
  }
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
  const samples = () => lines(probe);
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
    // The header and the first records are on disk while the client runs.
    await waitFor(() => lines(file) >= 2_000, { timeoutMs: WAIT_MS, message: 'the first records on disk' });
    const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
    expect(JSON.parse(first)).toMatchObject({ kind: 'header', format: 'linkvisor-trace' });
    const start = records(file);
    const before = await cli.heap();
    await waitFor(() => records(file) >= start + RECORDS, {
      timeoutMs: WAIT_MS,
      intervalMs: 100,
      message: `${RECORDS} more records on disk (${lines(file)}; stderr ${JSON.stringify(cli.stderr())})`,
    });
    const after = await cli.heap();
    const growth = after - before;
    // BENCHMARKS.md "Round 18 (gaps)": LV_MEASURE=1 prints what this run measured.
    if (process.env.LV_MEASURE)
      console.log('measured', { before, after, growth, records: records(file) - start });
    expect(growth, `heap growth over ${RECORDS} records: ${growth} B`).toBeLessThan(HEAP_GROWTH_LIMIT);
    cli.proc.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const trace = parseTrace(text);
    expect(trace.records.length).toBeGreaterThanOrEqual(start + RECORDS);
    expect(cli.stderr()).toContain(`trace saved to ${file} (${trace.records.length} steps)`);
    // Replaying 30,000 records takes minutes on a busy machine: the next test replays a shorter one.
  });

  it('killed mid-way (SIGKILL): the file is whole lines from the header on, a valid trace that replays', async () => {
    const server = await h.wsServer();
    const file = tempFile();
    const cli = startCli(h, args(server.url, file));
    await waitFor(() => records(file) >= 2_000, { timeoutMs: WAIT_MS, message: 'records on disk' });
    cli.proc.kill('SIGKILL');
    expect(await cli.exited).toBe('SIGKILL');
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseTrace(text).records.length).toBeGreaterThanOrEqual(2_000);
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
