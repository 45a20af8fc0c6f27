/**
 * A usage error never prints a secret the command line carried: a bad URL's user info and query
 * values (a bare query token, `?SECRET`, too), a credential in its path, a malformed --header (an `Authorization` value), a subprotocol refused for its
 * characters (a base64 token offered as one). The line still names what is wrong (exit code 2).
 * Through the real binary, as a terminal or a CI log would show it.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

const SECRET = 'hunter2pw';
const TOKEN = 'SECRETTOKEN';

describe('cli: usage errors keep secrets out', () => {
  const h = useHarness();

  it.each([
    [
      ['connect', `ws://user:${SECRET}@example.org:70000/feed?token=${TOKEN}`],
      /^linkvisor: invalid URL 'ws:\/\/\[redacted\]@example\.org:70000\/feed\?token=\[redacted\]': port 70000 is out of range/,
    ],
    [
      ['connect', `ftp://user:${SECRET}@example.org/?token=${TOKEN}#${TOKEN}`],
      /^linkvisor: invalid URL 'ftp:\/\/\[redacted\]@example\.org\/\?token=\[redacted\]': the scheme must be/,
    ],
    [
      ['connect', `ws://user:${SECRET}@exa mple.org/?token=${TOKEN}`],
      /^linkvisor: invalid URL 'ws:\/\/\[redacted\]@/,
    ],
    [
      // A bare token as the whole query (no `=`), and one after a key: a value, not a key.
      ['connect', `ftp://example.org/feed?${TOKEN}`],
      /^linkvisor: invalid URL 'ftp:\/\/example\.org\/feed\?\[redacted\]': the scheme must be/,
    ],
    [
      ['connect', `ws://example.org:70000/feed?a=1&${TOKEN}`],
      /^linkvisor: invalid URL 'ws:\/\/example\.org:70000\/feed\?a=\[redacted\]&\[redacted\]': port/,
    ],
    [
      // A credential in the path (`;jsessionid=`, `token=` segments).
      ['connect', `ftp://example.org/feed;jsessionid=${TOKEN}/token=${SECRET}`],
      /^linkvisor: invalid URL 'ftp:\/\/example\.org\/feed;jsessionid=\[redacted\]\/token=\[redacted\]': the scheme/,
    ],
    [
      ['connect', `user:${SECRET}@example.org:70000`],
      /^linkvisor: invalid URL '\[redacted\]@example\.org:70000': port/,
    ],
    [
      ['connect', 'ws://127.0.0.1:9/', '-H', `Authorization Bearer ${TOKEN}`],
      /^linkvisor: --header: expected 'Name: value'/,
    ],
    [
      ['connect', 'ws://127.0.0.1:9/', '-p', 'chat', '-p', `token.${TOKEN}==`],
      /^linkvisor: --protocol: not a valid subprotocol name \(the 2nd given;/,
    ],
  ])('%j: exit 2, one line naming the problem, no secret', async (argv, message) => {
    const cli = startCli(h, argv);
    expect(await exitCode(cli)).toBe(2);
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).not.toContain(SECRET);
    expect(cli.stderr).not.toContain(TOKEN);
  });
});
