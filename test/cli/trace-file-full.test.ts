/**
 * `--record <file>` on a disk that fills (docs/cli.md: the file holds whole lines): a write that
 * fails partway through a line leaves the file at the last whole line, never a broken last line
 * that `linkvisor replay` would refuse. A real file size limit (`ulimit -f`, EFBIG: the kernel
 * writes up to the limit, then fails) stands in for a full disk; a child process carries it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { spawnChild } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/trace-file-child.ts', import.meta.url));

describe('TraceFile: a write that fails partway through a line', () => {
  const h = useHarness();

  it('the file ends at the last whole line, each line JSON, the failure said once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lv-trace-file-full-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'trace.jsonl');
    // 4 blocks of 512 bytes: the header and a few records fit, one line is cut at 2048 bytes.
    const { proc, exited } = spawnChild(h, 'sh', [
      '-c',
      'ulimit -f 4 && exec "$@"',
      'sh',
      process.execPath,
      '--import',
      'tsx',
      CHILD,
      file,
    ]);
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
    });
    expect(await exited, stderr).toBe(0);
    const seen = JSON.parse(stdout) as { records: number; failures: string[] };
    expect(seen.failures).toEqual(['EFBIG']);
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeLessThan(2048); // the cut line is gone, not only its tail
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.length).toBe(1 + seen.records);
    expect(seen.records).toBeGreaterThan(0);
  }, 60_000); // a hang guard (start-up through tsx is slow on a busy machine), not a speed claim
});
