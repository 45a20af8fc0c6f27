/**
 * Numbers on the command line are decimal: `--connect-timeout 0x10` was 16 ms, `--heartbeat 1e3`
 * 1000 ms, `--max-retries 0b11` 3, ` 50` 50 (Number()'s other forms: a typo or a paste gone wrong
 * went through as a number nobody meant). Each is now a usage error naming the option, exit 2, as
 * a port already was (`--inspect=0x50`). A multiplier keeps its decimal point.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { fakeIO } from './helpers.js';

const thrown = (fn: () => unknown): { code?: string; message: string } => {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  return { message: 'did not throw' };
};

describe('cli: numbers are decimal digits', () => {
  it.each([
    [['--connect-timeout', '0x10'], '--connect-timeout', 'a whole number from 1'],
    [['--connect-timeout', '1e3'], '--connect-timeout', 'a whole number from 1'],
    [['--max-retries', '0b11'], '--max-retries', 'a whole number from 0'],
    [['--max-retries', ' 5'], '--max-retries', 'a whole number from 0'],
    [['--max-retries', '5.0'], '--max-retries', 'a whole number from 0'],
    [['--heartbeat', '1e3'], '--heartbeat interval', 'a whole number from 1'],
    [['--heartbeat', '1000:0o7'], '--heartbeat timeout', 'a whole number from 1'],
    [['--backoff', '0x10:1000'], '--backoff initial', 'a whole number from 0'],
    [['--backoff', '10:1000:1e0'], '--backoff multiplier', 'a number from 1'],
    [['--backoff', '10:1000:+2'], '--backoff multiplier', 'a number from 1'],
  ])('%j: a usage error naming the option', (options, option, expected) => {
    // Parsed only: a `connect` that parsed would run (before, these went through as numbers).
    const error = thrown(() => parseArgs(['connect', 'ws://x/', ...options]));
    expect(error.code).toBe('LV_ERR_INVALID_OPTION');
    expect(error.message).toMatch(new RegExp(`^${option}: expected ${expected} .*\\(decimal\\)`));
  });

  it('through main(): one line on stderr with its code, exit 2', async () => {
    const io = fakeIO();
    expect(await main(['connect', 'ws://x/', '--connect-timeout', '0x10', '--max-retries', '1'], io)).toBe(2);
    expect(io.err()).toMatch(
      /^linkvisor: --connect-timeout: expected a whole number from 1 .*\[LV_ERR_INVALID_OPTION\]\n$/,
    );
  });

  it.each([
    [['serve', '--bounce-every', '1e3'], 'serve: --bounce-every'],
    [['serve', '--stall=0x10'], 'serve: --stall'],
    [['serve', '--close-code', '0x3e8'], 'serve: --close-code'],
  ])('%j: a usage error naming the option', (argv, option) => {
    // Parsed only: a `serve` that parsed would run until a signal.
    expect(() => parseArgs(argv)).toThrow(new RegExp(`^${option}: expected a whole number .*\\(decimal\\)`));
  });

  it('decimal forms still parse: whole numbers, a multiplier with a point', () => {
    expect(
      parseArgs([
        'connect',
        'ws://x/',
        '--backoff=100:5000:1.5',
        '--heartbeat',
        '5000:2000',
        '--max-retries',
        '007',
      ]),
    ).toMatchObject({
      backoff: { initialDelayMs: 100, maxDelayMs: 5000, multiplier: 1.5, maxAttempts: 7 },
      heartbeat: { intervalMs: 5000, timeoutMs: 2000 },
    });
  });
});

describe('cli: help says numbers are decimal', () => {
  it('--help has the rule, and the inspect paragraph fits 100 columns', async () => {
    const io = fakeIO();
    expect(await main(['--help'], io)).toBe(0);
    const help = io.out();
    expect(help).toMatch(/^Numbers are decimal digits .*1_000 are refused\.$/m);
    const inspect = help.slice(
      help.indexOf('linkvisor inspect <trace.jsonl> serves'),
      help.indexOf('linkvisor serve runs'),
    );
    for (const line of inspect.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it.each(['1_000', '1,000', '１０', '١٠', '0', '-1'])('--connect-timeout %j: a usage error', (value) => {
    expect(() => parseArgs(['connect', 'ws://x/', `--connect-timeout=${value}`])).toThrow(
      /^--connect-timeout: expected a whole number from 1 .*\(decimal\)/,
    );
  });
});
