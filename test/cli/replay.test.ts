/**
 * `linkvisor connect --record` and `linkvisor replay` as real child processes: a session over a
 * real ws server (a bounce, then a fatal close) is saved, replays identically (exit 0), a
 * tampered copy reports its first divergence (exit 1), a missing or bad file is a usage error (2).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTrace, parseTrace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { commandInstead, FEED_URL, startMemorySession } from '../trace/memory-session.js';
import { exitCode, HAS_SCRIPT, startCli, startInTerminal } from './helpers.js';

/** A control character a terminal would act on (tab and the line ends a terminal adds aside). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** A session (memory network, simulated clock) of link `feed` with a shouldReconnect hook that
 * stops it at a 1012 drop: a replay without the hook diverges. */
async function hooksTrace(): Promise<string> {
  const { clock, server, supervisor, finish } = startMemorySession({ seed: 4 });
  supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false, shouldReconnect: () => false });
  await clock.advance(100);
  server.dropAll(1012);
  await clock.advance(100);
  return formatTrace(await finish());
}

describe('cli: linkvisor connect --record, linkvisor replay', () => {
  const h = useHarness();

  function tempDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-trace-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('records a session over a real server and replays it: identical, then a tampered copy diverges', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trace.jsonl');
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        connections++;
        // First connection: a restart (1012, retried); second: a policy close (1008, fatal).
        setTimeout(() => ws.close(connections === 1 ? 1012 : 1008, 'bye'), 50);
      },
    });
    const cli = startCli(h, [
      'connect',
      `${server.url}/feed`,
      '--backoff',
      '50:200',
      '--heartbeat',
      'off',
      '--no-stdin',
      '--record',
      file,
    ]);
    expect(await exitCode(cli), cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/\* trace saved to .*trace\.jsonl \(\d+ steps\)/);
    const trace = parseTrace(readFileSync(file, 'utf8'));
    expect(trace.records.some((r) => r.kind === 'event' && r.actor === 'link:cli' && r.to === 'failed')).toBe(
      true,
    );

    const replay = startCli(h, ['replay', file]);
    expect(await exitCode(replay), replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^replay identical: \d+ steps of 2 actors\n$/);

    const tampered = structuredClone(trace);
    const index = tampered.records.findIndex((r) => r.kind === 'event' && r.to === 'failed');
    const record = tampered.records[index];
    if (record?.kind === 'event') record.to = 'reconnecting';
    const bad = path.join(dir, 'tampered.jsonl');
    writeFileSync(bad, formatTrace(tampered));
    const diverged = startCli(h, ['replay', bad]);
    expect(await exitCode(diverged)).toBe(1);
    expect(diverged.stderr).toContain(`replay diverged at step ${index} (link:cli)`);
    expect(diverged.stderr).toMatch(
      /expected: transport\.closed: .* → reconnecting\n {2}actual: {3}transport\.closed: .* → failed/,
    );
  });

  it('a divergence of a link with application hooks says the replay lacks them', async () => {
    const file = path.join(tempDir(), 'hooks.jsonl');
    writeFileSync(file, await hooksTrace());
    const cli = startCli(h, ['replay', file]);
    expect(await exitCode(cli)).toBe(1);
    expect(cli.stderr).toContain(
      'note: link:feed had application hooks (shouldReconnect) that a trace cannot hold; replay it from code with replayTrace(trace, { linkOptions })',
    );
  });

  it.skipIf(!HAS_SCRIPT)(
    'on a terminal, what a trace says (an actor name full of controls, in a trace from elsewhere) is shown escaped, the note about hooks too',
    async () => {
      const file = path.join(tempDir(), 'hooks.jsonl');
      // A trace is a text file anyone can write: its actor names are JSON strings (\u001b is ESC).
      // The records' actor names only: a recorded link id a link cannot have (peer.add's linkId)
      // is refused at load since i27follow (test/trace/trace-fields.test.ts).
      writeFileSync(
        file,
        (await hooksTrace()).replaceAll('"actor":"link:feed"', '"actor":"link:feed\\u001b]0;pwned\\u0007"'),
      );
      const terminal = startInTerminal(h, ['replay', file]);
      expect(await terminal.exited, terminal.screen).toBe(1);
      expect(terminal.screen).toContain('note: link:feed\\x1b]0;pwned\\x07 had application hooks');
      expect(terminal.screen).not.toMatch(CONTROL);
    },
  );

  it('exits 2 for a missing file, a file that is not a trace, and a missing argument, one line with its code each', async () => {
    const dir = tempDir();
    const missing = startCli(h, ['replay', path.join(dir, 'nope.jsonl')]);
    expect(await exitCode(missing)).toBe(2);
    expect(missing.stderr).toMatch(
      /^linkvisor: replay: cannot read .*nope\.jsonl \(ENOENT\) \[LV_ERR_IO\]\n$/,
    );

    const notTrace = path.join(dir, 'not.jsonl');
    writeFileSync(notTrace, '{"hello": 1}\n');
    const bad = startCli(h, ['replay', notTrace]);
    expect(await exitCode(bad)).toBe(2);
    expect(bad.stderr).toMatch(/line 1 is not a linkvisor-trace header.* \[LV_ERR_INVALID_TRACE\]\n$/);

    const none = startCli(h, ['replay']);
    expect(await exitCode(none)).toBe(2);
    expect(none.stderr).toMatch(/^linkvisor: replay: missing <trace\.jsonl> \[LV_ERR_USAGE\]\n$/);
  });

  it('a file larger than a trace may be, or one that never ends, is refused (exit 2) before it is read into memory', async () => {
    const dir = tempDir();
    // Sparse: 300 MiB on paper, no disk used.
    const huge = path.join(dir, 'huge.jsonl');
    writeFileSync(huge, '');
    truncateSync(huge, 300 * 1024 * 1024);
    const big = startCli(h, ['replay', huge]);
    expect(await exitCode(big)).toBe(2);
    expect(big.stderr).toContain(
      `replay: ${huge}: larger than 256 MiB, the most a trace file may be [LV_ERR_INVALID_TRACE]\n`,
    );
    if (!existsSync('/dev/zero')) return;
    const endless = startCli(h, ['inspect', '/dev/zero']);
    expect(await exitCode(endless)).toBe(2);
    expect(endless.stderr).toContain('inspect: /dev/zero: larger than 256 MiB, the most a trace file may be');
  });

  it('a hostile file commanding a link `xstate.stop` diverges there (exit 1), it does not hang', async () => {
    const dir = tempDir();
    const trace = parseTrace(await hooksTrace());
    const index = commandInstead(trace, 'link:feed', 'child', 'xstate.stop');
    const file = path.join(dir, 'stop.jsonl');
    writeFileSync(file, formatTrace(trace));
    const cli = startCli(h, ['replay', file]);
    expect(await exitCode(cli), cli.stderr).toBe(1);
    expect(cli.stderr).toContain(`replay diverged at step ${index} (link:feed)`);
    expect(cli.stderr).toContain('actual:   cannot replay the command xstate.stop to a link');
  });
});
