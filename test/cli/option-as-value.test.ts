/**
 * An option that takes a value, written without it before another option (`--record --no-stdin`):
 * a usage error naming the option (exit 2, LV_ERR_INVALID_OPTION), never the next option taken
 * for its value (a trace file named `--no-stdin` written, and stdin read after all; a subprotocol
 * `--raw` offered). In-process through main() for each form but `--record` (it would write that
 * file where the tests run), and through the real binary for it, in a directory of its own.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { useHarness } from '../helpers/harness.js';
import { BIN, fakeIO, spawnChild } from './helpers.js';

/** A port nothing listens on, given up at once: a command line read wrongly ends (exit 1), never hangs. */
const U = 'ws://127.0.0.1:9/';

describe('cli: an option where a value was expected', () => {
  const h = useHarness();

  it.each([
    [
      ['connect', '--max-retries', '0', U, '-p', '--no-stdin'],
      /^linkvisor: -p needs a value, got the option '--no-stdin'/,
    ],
    [
      ['connect', '--max-retries', '0', U, '--protocol', '-q'],
      /^linkvisor: --protocol needs a value, got the option '-q'/,
    ],
    [
      ['connect', '--max-retries', '0', U, '-H', '--quiet'],
      /^linkvisor: -H needs a value, got the option '--quiet'/,
    ],
    [
      ['connect', '--max-retries', '0', U, '--protocol', '--raw'],
      /^linkvisor: --protocol needs a value, got the option '--raw'/,
    ],
    [
      ['connect', '--max-retries', '0', '--jitter', '--inspect=0', U],
      /^linkvisor: --jitter needs a value, got the option '--inspect'/,
    ],
    [['serve', '--host', '--port', '0'], /^linkvisor: serve: --host needs a value, got the option '--port'/],
  ])('%j: exit 2 naming the option', async (argv, pattern) => {
    const io = fakeIO();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(pattern);
    expect(io.err()).toMatch(/\[LV_ERR_INVALID_OPTION\]\n$/);
  });

  it('a value that starts with -- is given with =, and a negative number still gets its own check', async () => {
    const io = fakeIO();
    expect(await main(['connect', U, '--max-retries', '-1'], io)).toBe(2);
    expect(io.err()).toMatch(/^linkvisor: --max-retries: expected a whole number from 0/);
    expect(await main(['connect', U, '--record=--x', '--no-stdin', '--jitter', 'bogus'], fakeIO())).toBe(2);
  });

  it.each([
    [['connect', U, '--protocol', '--hunter2']],
    [['connect', U, '-p', '--hunter2']],
    [['connect', U, '-H', '--hunter2']],
    [['connect', U, '--record', '--hunter2=x']],
    [['serve', '--host', '--hunter2']],
  ])(
    '%j: a word in a value position that is no option is refused without being shown (it may be a secret)',
    async (argv) => {
      const io = fakeIO();
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toMatch(
        /needs a value, got a word that starts with '--'.*=<value>.*\[LV_ERR_INVALID_OPTION\]\n$/,
      );
      expect(io.err()).not.toMatch(/hunter2/);
    },
  );

  it("'--' where a value was expected is named as it is", async () => {
    const io = fakeIO();
    expect(await main(['connect', U, '--record', '--'], io)).toBe(2);
    expect(io.err()).toMatch(/^linkvisor: --record needs a value, got '--' \(the end of the options\)/);
  });

  it('the real binary: `--record --no-stdin` exits 2 and writes no file named --no-stdin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lv-option-as-value-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const { proc, exited } = spawnChild(
      h,
      process.execPath,
      [BIN, 'connect', 'ws://127.0.0.1:9/', '--max-retries', '0', '--record', '--no-stdin'],
      process.env,
      dir,
    );
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
    });
    expect(await exited).toBe(2);
    expect(stderr).toMatch(/--record needs a value, got the option '--no-stdin'.*\[LV_ERR_INVALID_OPTION\]/);
    expect(existsSync(path.join(dir, '--no-stdin'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
