/**
 * `serve --host` refuses what is no host (a URL typed there) since i40watch; everything a listen
 * address was before still parses: a name (with a trailing dot, an `_` as Docker Compose's service
 * names have, punycode), `0.0.0.0`, `::`, an IPv4-mapped IPv6 address, a zone id, with or without
 * brackets. parseServeArgs directly: no server started.
 */
import { expect, it } from 'vitest';
import { parseServeArgs } from '../../src/cli/serve-args.js';

const hostOf = (text: string) => (parseServeArgs(['--host', text]) as { host?: string }).host;

it.each([
  ['localhost', 'localhost'],
  ['localhost.', 'localhost.'],
  ['my_service', 'my_service'],
  ['db_1.internal', 'db_1.internal'],
  ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ['0.0.0.0', '0.0.0.0'],
  ['::', '::'],
  ['[::]', '::'],
  ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
  ['[::ffff:127.0.0.1]', '::ffff:127.0.0.1'],
  ['fe80::1%lo', 'fe80::1%lo'],
])('--host %s is taken as %s', (text, host) => {
  expect(hostOf(text)).toBe(host);
});
