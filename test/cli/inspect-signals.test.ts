/**
 * `linkvisor inspect` on a signal: it stopped without a word, where `serve` says `* SIGTERM:
 * stopped` and `connect` `* SIGINT: closing`. Now it says what it does as they do (`* SIGTERM:
 * stopped`, or `stdout closed (EPIPE): stopping`), exit 0. A real child process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTrace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';
import { exitCode, startCli } from './helpers.js';

describe('cli: linkvisor inspect on a signal', () => {
  const h = useHarness();

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: says it stopped, exit 0',
    async (signal) => {
      const { clock, supervisor, finish } = startMemorySession({ seed: 3 });
      supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
      await clock.advance(100);
      const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-inspect-signal-'));
      h.defer(() => rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'session.jsonl');
      writeFileSync(file, formatTrace(await finish()));
      const cli = startCli(h, ['inspect', file]);
      await cli.waitFor('stdout', /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/, 30_000);
      cli.proc.kill(signal);
      expect(await exitCode(cli, 15_000), cli.stderr).toBe(0);
      expect(cli.stderr).toMatch(new RegExp(`\\* ${signal}: stopped\\n$`));
    },
    45_000,
  );
});
