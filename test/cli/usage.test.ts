/**
 * Usage of `linkvisor`: --help and --version, and every kind of bad input (URL, option, value)
 * answered with one line on stderr and exit code 2 — checked in-process through main() for each
 * case, and through the real binary for a few.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { useHarness } from '../helpers/harness.js';
import { exitCode, fakeIO, startCli } from './helpers.js';

describe('cli: usage', () => {
  it.each([
    [
      ['connect', 'ftp://example.org/'],
      /^linkvisor: invalid URL 'ftp:\/\/example\.org\/': the scheme must be ws/,
      'LV_ERR_INVALID_URL',
    ],
    [['connect', 'ws://exa mple.org/'], /^linkvisor: invalid URL/, 'LV_ERR_INVALID_URL'],
    [['connect'], /^linkvisor: connect: missing <url>/, 'LV_ERR_USAGE'],
    [[], /^linkvisor: no command given/, 'LV_ERR_USAGE'],
    [['fetch', 'ws://x/'], /^linkvisor: unknown command 'fetch'/, 'LV_ERR_USAGE'],
    [['connect', 'ws://x/', 'extra'], /^linkvisor: connect: unexpected argument 'extra'/, 'LV_ERR_USAGE'],
    [
      ['connect', 'ws://x/', '--bogus'],
      /^linkvisor: unknown option '--bogus' \(see linkvisor --help\)/,
      'LV_ERR_UNKNOWN_OPTION',
    ],
    // A misspelt option, command or value: the hint names the one meant.
    [
      ['connect', 'ws://x/', '--hearbeat', '5'],
      /^linkvisor: unknown option '--hearbeat' \(did you mean '--heartbeat'\? see linkvisor --help\) \[LV_ERR_UNKNOWN_OPTION\]$/m,
      'LV_ERR_UNKNOWN_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--Record=t.jsonl'],
      /^linkvisor: unknown option '--Record' \(did you mean '--record'\? see linkvisor --help\) \[LV_ERR_UNKNOWN_OPTION\]$/m,
      'LV_ERR_UNKNOWN_OPTION',
    ],
    [
      ['replya', 't.jsonl'],
      /^linkvisor: unknown command 'replya' \(did you mean 'replay'\? see linkvisor --help\) \[LV_ERR_USAGE\]$/m,
      'LV_ERR_USAGE',
    ],
    [
      ['connect', 'ws://x/', '--jitter', 'ful'],
      /^linkvisor: --jitter: expected one of none, full, .*, got 'ful' \(did you mean 'full'\?\) \[LV_ERR_INVALID_OPTION\]$/m,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['serve', '--prot', '8080'],
      /^linkvisor: serve: unknown option '--prot' \(did you mean '--port'\? see linkvisor --help\) \[LV_ERR_UNKNOWN_OPTION\]$/m,
      'LV_ERR_UNKNOWN_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--backoff', '10'],
      /^linkvisor: --backoff: expected <initial ms>:<max ms>/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--backoff', '500:100'],
      /^linkvisor: --backoff: max \(100\) is below initial \(500\)/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--backoff', '1:2:0.5'],
      /^linkvisor: --backoff multiplier: expected a number from 1/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--heartbeat', 'soon'],
      /^linkvisor: --heartbeat interval: expected a whole number/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--header', 'no colon'],
      /^linkvisor: --header: expected 'Name: value'/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--protocol', 'bad name'],
      /^linkvisor: --protocol: not a valid subprotocol/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--jitter', 'lots'],
      /^linkvisor: --jitter: expected one of none, full/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--max-retries', '-1'],
      /^linkvisor: --max-retries: expected a whole number/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--connect-timeout'],
      /^linkvisor: --connect-timeout needs a value/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--inspect=port'],
      /^linkvisor: --inspect: expected a whole number/,
      'LV_ERR_INVALID_OPTION',
    ],
    [['connect', 'ws://x/', '--quiet=yes'], /^linkvisor: --quiet takes no value/, 'LV_ERR_INVALID_OPTION'],
    [
      ['connect', 'ws://x/', '--exit-on-eof', '--no-stdin'],
      /^linkvisor: --exit-on-eof: needs stdin/,
      'LV_ERR_INVALID_OPTION',
    ],
    [
      ['connect', 'ws://x/', '--escape', '--raw'],
      /^linkvisor: --escape and --raw: give one of them/,
      'LV_ERR_INVALID_OPTION',
    ],
    [['connect', 'ws://x/', '--raw=yes'], /^linkvisor: --raw takes no value/, 'LV_ERR_INVALID_OPTION'],
    [
      ['connect', 'ws://example.org:70000/'],
      /^linkvisor: invalid URL 'ws:\/\/example\.org:70000\/': port 70000 is out of range \(0-65535\) \[LV_ERR_INVALID_URL\]$/m,
      'LV_ERR_INVALID_URL',
    ],
    [
      ['connect', 'https://[::1]:65536'],
      /^linkvisor: invalid URL 'https:\/\/\[::1\]:65536': port 65536 is out of range/,
      'LV_ERR_INVALID_URL',
    ],
    [
      ['connect', 'localhost:8o8o'],
      /^linkvisor: invalid URL 'localhost:\[redacted\]': port a string of 4 characters is not a number/,
      'LV_ERR_INVALID_URL',
    ],
  ])('%j: one line on stderr ending with its code, exit code 2', async (argv, message, code) => {
    const io = fakeIO();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    // The stable code ends the line (docs/errors.md), as the library's errors carry theirs.
    expect(io.err()).toMatch(new RegExp(` \\[${code}\\]\n$`));
    expect(io.out()).toBe('');
  });

  it('parses every option', () => {
    expect(
      parseArgs([
        'connect',
        'localhost:8080/feed',
        '-H',
        'Authorization: Bearer t',
        '--protocol=chat',
        '--heartbeat',
        '5000:2000',
        '--backoff=100:5000:1.5',
        '--jitter',
        'equal',
        '--max-retries',
        '7',
        '--connect-timeout',
        '3000',
        '--inspect=9321',
        '--no-stdin',
        '-q',
      ]),
    ).toEqual({
      command: 'connect',
      url: 'ws://localhost:8080/feed',
      headers: { Authorization: 'Bearer t' },
      protocols: ['chat'],
      heartbeat: { intervalMs: 5000, timeoutMs: 2000 },
      backoff: { initialDelayMs: 100, maxDelayMs: 5000, multiplier: 1.5, jitter: 'equal', maxAttempts: 7 },
      connectTimeoutMs: 3000,
      inspect: 9321,
      stdin: false,
      exitOnEof: false,
      quiet: true,
      escape: 'auto',
    });
    expect(parseArgs(['connect', 'ws://x/', '--exit-on-eof'])).toMatchObject({ exitOnEof: true });
    // A value that is a scheme's name is a credential cut off only in an auth-like header.
    expect(parseArgs(['connect', 'ws://x/', '-H', 'X-Tier: Basic', '-H', 'X-Mode: Token'])).toMatchObject({
      headers: { 'X-Tier': 'Basic', 'X-Mode': 'Token' },
    });
    // http(s) URLs are the same servers' ws(s) URLs; the note is said once on stderr.
    expect(parseArgs(['connect', 'http://x:80/a?b'])).toMatchObject({
      url: 'ws://x/a?b',
      urlNote: 'http:// maps to ws://',
    });
    expect(parseArgs(['connect', 'HTTPS://x:8443/'])).toMatchObject({
      url: 'wss://x:8443/',
      urlNote: 'https:// maps to wss://',
    });
    expect(parseArgs(['connect', 'ws://x:65535/'])).toMatchObject({
      url: 'ws://x:65535/',
      urlNote: undefined,
    });
    expect(parseArgs(['connect', 'wss://x/', '--heartbeat', 'off', '--inspect'])).toMatchObject({
      heartbeat: false,
      inspect: 0,
    });
  });

  it('--help explains every option on stdout (exit 0); --version prints the version', async () => {
    const io = fakeIO();
    expect(await main(['--help'], io)).toBe(0);
    for (const option of [
      '--header',
      '--protocol',
      '--heartbeat',
      '--backoff',
      '--jitter',
      '--max-retries',
      '--connect-timeout',
      '--inspect',
      '--no-stdin',
      '--quiet',
      '--exit-on-eof',
      '--escape',
      '--raw',
      'Exit codes',
    ]) {
      expect(io.out()).toContain(option);
    }
    const version = fakeIO();
    expect(await main(['--version'], version)).toBe(0);
    expect(version.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('cli: usage, through the real binary', () => {
  const h = useHarness();

  it('--help exits 0; a bad URL and a bad option exit 2 with one line ending with its code', async () => {
    const help = startCli(h, ['--help']);
    expect(await exitCode(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: linkvisor connect <url> \[options\]/);

    const badUrl = startCli(h, ['connect', 'ftp://example.org/']);
    expect(await exitCode(badUrl)).toBe(2);
    expect(badUrl.stderr).toBe(
      "linkvisor: invalid URL 'ftp://example.org/': the scheme must be ws://, wss://, http:// or https:// [LV_ERR_INVALID_URL]\n",
    );

    const badPort = startCli(h, ['connect', 'ws://127.0.0.1:70000/feed']);
    expect(await exitCode(badPort)).toBe(2);
    expect(badPort.stderr).toBe(
      "linkvisor: invalid URL 'ws://127.0.0.1:70000/feed': port 70000 is out of range (0-65535) [LV_ERR_INVALID_URL]\n",
    );

    const badOption = startCli(h, ['connect', 'ws://127.0.0.1:9/', '--frobnicate']);
    expect(await exitCode(badOption)).toBe(2);
    expect(badOption.stderr).toBe(
      "linkvisor: unknown option '--frobnicate' (see linkvisor --help) [LV_ERR_UNKNOWN_OPTION]\n",
    );
  });
});
