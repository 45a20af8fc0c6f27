/**
 * A value the command line accepts but the link refuses (a header value no HTTP request can carry,
 * a subprotocol given twice) is a usage error naming the flag that was typed (`--header`,
 * `--protocol`), not the library's option (`headers`, `protocols`), exit 2. The real binary.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

describe('cli: a link option refused names its flag', () => {
  const h = useHarness();

  it.each([
    [
      ['-H', 'X-Tier: gold€'],
      /^linkvisor: --header: the value of 'X-Tier' has a control character or one above U\+00FF \[LV_ERR_INVALID_OPTION\]\n$/,
    ],
    [
      ['-p', 'chat', '-p', 'chat'],
      /^linkvisor: --protocol: must not repeat a subprotocol \[LV_ERR_INVALID_OPTION\]\n$/,
    ],
  ])('connect %j: exit 2, the flag named', async (flags, message) => {
    const cli = startCli(h, ['connect', 'ws://127.0.0.1:9/', '--no-stdin', ...flags]);
    expect(await exitCode(cli)).toBe(2);
    expect(cli.stderr).toMatch(message);
  });
});
