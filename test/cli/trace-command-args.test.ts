/**
 * The arguments of `linkvisor replay` and `linkvisor inspect`, through the real binary: an option
 * `replay` does not take is named (as `inspect` names one), and `--` ends the options as it does
 * for `connect`, so a trace file whose name starts with `-` can be given (`replay -- -x.jsonl`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTrace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { recordFeedStall } from '../trace/memory-session.js';
import { BIN, exitCode, spawnChild, startCli } from './helpers.js';

describe('cli: replay and inspect arguments', () => {
  const h = useHarness();

  it('replay names the option it does not take (exit 2, LV_ERR_UNKNOWN_OPTION)', async () => {
    for (const option of ['--raw', '-q', '--record=out.jsonl']) {
      const cli = startCli(h, ['replay', option, 'trace.jsonl']);
      expect(await exitCode(cli)).toBe(2);
      const name = option.split('=', 1)[0] as string;
      expect(cli.stderr).toBe(`linkvisor: replay: takes no options, not '${name}' [LV_ERR_UNKNOWN_OPTION]\n`);
    }
  });

  it("'--' ends the options: a trace file named '-….jsonl' replays, and inspect opens it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-dash-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, '-incident.jsonl'), formatTrace(await recordFeedStall()));
    const run = (args: string[]) => {
      const child = spawnChild(h, process.execPath, [BIN, ...args], process.env, dir);
      let stdout = '';
      let stderr = '';
      child.proc.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
      });
      child.proc.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
      });
      return { child, out: () => stdout, err: () => stderr };
    };
    const replay = run(['replay', '--', '-incident.jsonl']);
    expect(await replay.child.exited, replay.err()).toBe(0);
    expect(replay.out()).toMatch(/^replay identical: \d+ steps of 2 actors\n$/);

    const inspect = run(['inspect', '--inspect=0', '--', '-incident.jsonl']);
    const started = Date.now();
    while (!/^http:\/\/127\.0\.0\.1:\d+\//.test(inspect.out()) && inspect.child.proc.exitCode === null) {
      if (Date.now() - started > 30_000) throw new Error(`no URL: ${inspect.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(inspect.err()).toContain('-incident.jsonl: ');
    inspect.child.proc.kill('SIGTERM');
    expect(await inspect.child.exited, inspect.err()).toBe(0);
  });
});
