/**
 * A trace written to a named pipe (src/cli/trace-pipe.ts) whose reader stalls, then goes away:
 * the lines that were waiting for it never reach anyone, so they are dropped, not counted as
 * taken (the end of `connect --record` said `partial (N steps, M dropped)` with every line that
 * was waiting at the stall among the N). A real FIFO (mkfifo) and a real reader process that
 * holds it open unread, then is killed (the writer gets EPIPE); the writer is TraceFile itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceFile } from '../../src/cli/trace-file.js';
import type { TraceRecord } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { spawnChild } from './helpers.js';

const HAS_MKFIFO = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;
/** Bytes of padding in each record: ~1 KiB a line. */
const PAD = 'x'.repeat(1000);

describe.skipIf(!HAS_MKFIFO)('TraceFile on a named pipe whose reader stalls, then exits', () => {
  const h = useHarness();

  it('the lines it never took are dropped, not taken; nothing more is said', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-gone-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'trace.pipe');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    const reader = spawnChild(h, 'sh', ['-c', 'exec 3<>"$1"; echo ready; exec sleep 600', 'sh', file]);
    await new Promise((resolve) => reader.proc.stdout.once('data', resolve));
    const failures: Error[] = [];
    let stalled = false;
    const trace = new TraceFile(
      file,
      (error) => failures.push(error),
      () => {
        stalled = true;
      },
    );
    h.defer(() => trace.close());
    trace.recorderOptions.onHeader?.({ kind: 'header' } as never);
    let made = 0;
    while (!stalled && made < 10_000) {
      trace.recorderOptions.onRecord?.({ kind: 'note', pad: PAD, n: made } as unknown as TraceRecord);
      made++;
    }
    expect(stalled).toBe(true);
    reader.proc.kill('SIGKILL');
    await reader.exited;
    // Every record is now either in the pipe's kernel buffer (taken: 64 KiB by default) or dropped.
    await waitFor(() => trace.records + trace.dropped === made, {
      message: `every record counted (${made} made)`,
      timeoutMs: 10_000,
    });
    trace.close();
    expect(trace.records + trace.dropped).toBe(made);
    expect(trace.records * PAD.length).toBeLessThan(256 * 1024);
    // The stall was said; the reader's going away after it adds nothing.
    expect(failures).toEqual([]);
  });
});
