/**
 * `linkvisor replay` on trace files a user really has, as real child processes: a line lost from
 * the middle (named by its line, not by a record index the file does not show), a file an editor
 * saved with a byte order mark (replays), an actor of another chart (the divergence says which
 * chart, its two lines never read the same), an event record whose `machine` is not its actor's
 * (a bad file: exit 2, by its line) and a trace of another linkvisor version that
 * diverges (the versions are said), recorded link options a link refuses (a bad file: exit 2, by
 * its line). Each: one line per problem, no stack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTrace, type Trace } from '../../src/trace/trace-format.js';
import { LINKVISOR_VERSION } from '../../src/util/version.js';
import { useHarness } from '../helpers/harness.js';
import { recordFeedStall } from '../trace/memory-session.js';
import { exitCode, startCli } from './helpers.js';

describe('cli: linkvisor replay of a damaged or foreign trace file', () => {
  const h = useHarness();

  function write(name: string, text: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-replay-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  async function replay(file: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const cli = startCli(h, ['replay', file]);
    const code = await exitCode(cli);
    // Never a stack: every line is the command's own.
    expect(cli.stderr).not.toMatch(/^\s+at /m);
    return { code, stdout: cli.stdout, stderr: cli.stderr };
  }

  it('a line lost from the middle is named by its line in the file', async () => {
    const lines = formatTrace(await recordFeedStall()).split('\n');
    // Line 7 (record 5) goes: line 7 now holds step 6.
    lines.splice(6, 1);
    const { code, stderr } = await replay(write('cut.jsonl', lines.join('\n')));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^linkvisor: replay: .*cut\.jsonl: trace: line 7 has step 6, expected 5 .*\[LV_ERR_INVALID_TRACE\]\n$/,
    );
  });

  it('recorded link options a link refuses: a bad file (exit 2), named by its line', async () => {
    const trace = await recordFeedStall();
    const add = trace.records.find((r) => r.kind === 'event' && r.event.type === 'peer.add');
    if (add?.kind !== 'event') throw new Error('the socket adds the link');
    const inputs = add.event.inputs as { backoff: Record<string, number> }[];
    (inputs[0] as { backoff: Record<string, number> }).backoff = { initialDelayMs: 1e300 };
    const { code, stderr } = await replay(write('options.jsonl', formatTrace(trace)));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^linkvisor: replay: .*options\\.jsonl: trace: line ${add.step + 2} \\(peer\\.add\\): .*backoff\\.initialDelayMs.*\\[LV_ERR_INVALID_TRACE\\]\n$`,
      ),
    );
  });

  it('a file saved with a byte order mark replays', async () => {
    const file = write('bom.jsonl', `\uFEFF${formatTrace(await recordFeedStall())}`);
    const { code, stdout, stderr } = await replay(file);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^replay identical: \d+ steps of 2 actors\n$/);
  });

  it('an actor of another chart (its actor record and each of its steps): the divergence names the charts', async () => {
    const trace = await recordFeedStall();
    const first = trace.records[0];
    if (first?.kind !== 'actor') throw new Error('the trace starts with an actor record');
    for (const record of trace.records) if (record.actor === first.actor) record.machine = 'watcher';
    const { code, stderr } = await replay(write('machine.jsonl', formatTrace(trace)));
    expect(code).toBe(1);
    const expected = /expected: (.*)\n/.exec(stderr)?.[1];
    const actual = /actual: {3}(.*)\n/.exec(stderr)?.[1];
    expect(expected, stderr).toContain('watcher');
    expect(actual, stderr).toContain('socket');
    expect(expected).not.toBe(actual);
  });

  // Before, replayed as identical: a replay runs every step of an actor on its chart.
  it("an event record's machine edited by hand (not its actor's chart): a bad file (exit 2), named by its line", async () => {
    const trace = await recordFeedStall();
    const timer = trace.records.find((r) => r.kind === 'event' && r.source.kind === 'timer');
    if (timer?.kind !== 'event') throw new Error('a timer fires');
    timer.machine = 'socket';
    const { code, stdout, stderr } = await replay(write('edited.jsonl', formatTrace(trace)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `^linkvisor: replay: .*edited\\.jsonl: trace: line ${timer.step + 2}: machine 'socket' is not 'connection', the chart its actor runs \\(line 4\\); .*\\[LV_ERR_INVALID_TRACE\\]\n$`,
      ),
    );
  });

  it('a trace of another linkvisor version that diverges says both versions', async () => {
    const trace: Trace = await recordFeedStall();
    trace.header.linkvisor = '0.0.1-old';
    const record = trace.records.find((r) => r.kind === 'event' && r.event.type === 'transport.open');
    if (record?.kind !== 'event') throw new Error('the feed link opens');
    record.to = 'failed';
    const { code, stderr } = await replay(write('old.jsonl', formatTrace(trace)));
    expect(code).toBe(1);
    expect(stderr).toContain(
      `note: the trace was recorded by linkvisor 0.0.1-old, this is ${LINKVISOR_VERSION}`,
    );
    // The same trace from this version: no such note.
    trace.header.linkvisor = LINKVISOR_VERSION;
    const same = await replay(write('same.jsonl', formatTrace(trace)));
    expect(same.code).toBe(1);
    expect(same.stderr).not.toContain('recorded by linkvisor');
  });
});
