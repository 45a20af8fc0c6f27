/**
 * A header typed without quotes is split by the shell: `-H X-Api-Key: $KEY` gives `--header` the
 * name and an empty value (`-H Authorization: Bearer $T` gives it the scheme alone), and the key
 * becomes a stray argument (or the command, when the header comes first). The usage error used to quote that stray word, the key itself, on stderr (a
 * terminal, a CI log). Now a header with nothing after its colon is refused at once, naming the
 * header and how to quote it (so is one with an auth scheme and nothing after it), and a stray word is shown scrubbed of credentials. Through the real
 * binary.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

const KEY = 'k3yZ8aQ1w9Xv';

describe('cli: a header the shell split (no quotes) keeps its value out of the usage error', () => {
  const h = useHarness();

  it.each([
    [
      ['connect', 'ws://127.0.0.1:9/', '-H', 'X-Api-Key:', KEY],
      /^linkvisor: --header: 'X-Api-Key' has no value/,
    ],
    [
      ['-H', 'X-Api-Key:', KEY, 'connect', 'ws://127.0.0.1:9/'],
      /^linkvisor: --header: 'X-Api-Key' has no value/,
    ],
    [
      ['connect', 'ws://127.0.0.1:9/', '-H', 'Authorization: Bearer', KEY],
      /^linkvisor: --header: 'Authorization' has no credential after 'Bearer'/,
    ],
    // A stray word is quoted scrubbed: a credential in it is redacted, the rest stays readable.
    [
      ['connect', 'ws://127.0.0.1:9/', `token=${KEY}`],
      /^linkvisor: connect: unexpected argument 'token=\[redacted\]'/,
    ],
    [[`Bearer ${KEY}`, 'ws://127.0.0.1:9/'], /^linkvisor: unknown command 'Bearer \[redacted\]'/],
    [
      ['connect', 'ws://127.0.0.1:9/', '-H', 'Authorization:', `Bearer ${KEY}`],
      /^linkvisor: --header: 'Authorization' has no value/,
    ],
  ])('%j: exit 2, one line naming the header, the value not shown', async (argv, message) => {
    const cli = startCli(h, argv);
    expect(await exitCode(cli)).toBe(2);
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).not.toContain(KEY);
  });
});
