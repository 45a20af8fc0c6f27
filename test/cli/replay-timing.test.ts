/**
 * `linkvisor replay` honours each input's recorded time (`atMs`) on its simulated clock, as
 * docs/replay.md promises ("inputs happen at their recorded time"): a link with restart intensity
 * (more than 1 restart within 10 s escalates) dropped twice 24 s apart did not escalate, and its
 * trace replays identically; the same trace with the second drop's `atMs` moved inside the window
 * escalates on replay and diverges (exit 1). Were `atMs` ignored, both would replay alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTrace, type Trace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';
import { exitCode, startCli } from './helpers.js';

async function twoDrops(): Promise<Trace> {
  const { clock, server, supervisor, finish } = startMemorySession({ seed: 3 });
  supervisor.connect(FEED_URL, {
    id: 'feed',
    heartbeat: false,
    backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' },
    intensity: { maxRestarts: 1, withinMs: 10_000 },
  });
  await clock.advance(6_000);
  server.dropAll(1012);
  await clock.advance(24_000);
  server.dropAll(1012);
  await clock.advance(2_000);
  return finish();
}

describe('cli: replay honours atMs', () => {
  const h = useHarness();

  it('the recorded trace replays identically; the second drop moved inside the window diverges', async () => {
    const trace = await twoDrops();
    const drops = trace.records.filter(
      (r) => r.kind === 'event' && r.event.type === 'transport.closed' && r.actor === 'link:feed',
    );
    expect(drops).toHaveLength(2);
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-replay-timing-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'two-drops.jsonl');
    writeFileSync(file, formatTrace(trace));
    const same = startCli(h, ['replay', file]);
    expect(await exitCode(same, 30_000), same.stderr).toBe(0);

    const second = drops[1] as { atMs: number };
    const moved = formatTrace(trace).replace(
      `"atMs":${second.atMs},`,
      `"atMs":${(drops[0] as { atMs: number }).atMs + 1_000},`,
    );
    expect(moved).not.toBe(formatTrace(trace));
    const early = path.join(dir, 'moved.jsonl');
    writeFileSync(early, moved);
    const diverged = startCli(h, ['replay', early]);
    expect(await exitCode(diverged, 30_000), diverged.stderr).toBe(1);
    expect(diverged.stderr).toMatch(/replay diverged at step \d+ \(link:feed\)/);
  }, 60_000);
});
