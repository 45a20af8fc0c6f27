/**
 * A URL typed where a file or a host goes (`linkvisor inspect wss://app:pw@host/feed`, as if it
 * connected; `serve --host ws://app:pw@0.0.0.0`) or a path holding a credential is never printed
 * whole: `replay`, `inspect` and `--record` show a file as a usage error shows a stray word, and
 * `serve --host` takes a host name or an IP address only, refusing anything else by name with
 * exit 2 (a URL there was printed whole in the listen error, exit 1). The real binary.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

const SECRET = 'hunter2pw';
const TOKEN = 'SECRETTOKEN';

describe('cli: a file or a host that carries a secret', () => {
  const h = useHarness();

  it.each([
    [
      ['inspect', `wss://app:${SECRET}@example.org/feed?token=${TOKEN}`],
      /^linkvisor: inspect: cannot read 'wss:\/\/\[redacted\]@example\.org\/feed\?token=\[redacted\]' \(ENOENT\) \[LV_ERR_IO\]\n$/,
    ],
    [
      ['replay', `https://app:${SECRET}@example.org/trace.jsonl`],
      /^linkvisor: replay: cannot read 'https:\/\/\[redacted\]@example\.org\/trace\.jsonl' \(ENOENT\) \[LV_ERR_IO\]\n$/,
    ],
    [
      ['replay', `/nonexistent/token=${TOKEN}.jsonl`],
      /^linkvisor: replay: cannot read \/nonexistent\/token=\[redacted\] \(ENOENT\) \[LV_ERR_IO\]\n$/,
    ],
    [
      ['connect', 'ws://127.0.0.1:9/', '--record', `/nonexistent/password=${SECRET}/trace.jsonl`],
      /^linkvisor: --record: cannot write \/nonexistent\/password=\[redacted\]/,
    ],
    [
      ['serve', '--host', `ws://app:${SECRET}@127.0.0.1`],
      /^linkvisor: serve: --host: expected a host name or an IP address, got 'ws:\/\/\[redacted\]@127\.0\.0\.1' \[LV_ERR_INVALID_OPTION\]\n$/,
    ],
    [
      ['serve', '--host', `app:${SECRET}@127.0.0.1`],
      /^linkvisor: serve: --host: expected a host name or an IP address, got a string of \d+ characters/,
    ],
    [
      ['serve', '--host', ' '],
      /^linkvisor: serve: --host: expected a host name or an IP address, got nothing/,
    ],
  ])('%j: exit 2, one line naming the problem, no secret', async (argv, message) => {
    const cli = startCli(h, argv);
    expect(await exitCode(cli)).toBe(2);
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stdout + cli.stderr).not.toContain(SECRET);
    expect(cli.stdout + cli.stderr).not.toContain(TOKEN);
  });

  it('serve --host takes a name, an IPv4 or an IPv6 address (with or without brackets)', async () => {
    for (const host of ['localhost', '::1', '[::1]']) {
      const cli = startCli(h, ['serve', '--host', host]);
      const [, url] = (await cli.waitFor('stdout', /^(ws:\/\/\S+)\n/)) as string[];
      expect(url).toMatch(host === 'localhost' ? /^ws:\/\/localhost:\d+$/ : /^ws:\/\/\[::1\]:\d+$/);
      cli.proc.kill('SIGINT');
      expect(await exitCode(cli), cli.stderr).toBe(0);
    }
  });
});
