/**
 * scrubCredentials and a secret written percent-encoded (once or twice, every character but a
 * letter or digit encoded, or by encodeURIComponent) into a URL's query, fragment or user info
 * (also scheme-less), an assignment, a header line, a JSON body or a URL inside another's query:
 * whatever separator the secret holds (space, quote, line break, `@`, `/`, `?`, `&`, `\`, a
 * Unicode space…), no 4-character run of it survives in the output, read as it is, decoded once or
 * twice, or JSON-unescaped; a raw `'` (encodeURIComponent leaves it) included: it is inside a value
 * (round 41; it ended an unquoted one, `token=AB12'CD34` showed `'CD34`).
 * And adversarial `%`-, `=`- and escape-heavy texts of 200 KB end (linear; a quadratic path
 * would outlast the test's timeout).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const SEPARATORS = [...' "\'\t\n\r&,;{}<>%#?/@:=+\\)](!*$|`', '\u00a0', '\u2003', '\u2028'];
const run = fc
  .array(fc.constantFrom(...'QWXZKJ23456789'), { minLength: 4, maxLength: 6 })
  .map((a) => a.join(''));
/** A secret: runs of 4-6 characters no context below holds, joined by separators. */
const secretArb = fc
  .tuple(run, fc.array(fc.tuple(fc.constantFrom(...SEPARATORS), run), { minLength: 1, maxLength: 3 }))
  .map(([first, rest]) => ({
    secret: first + rest.map(([s, r]) => s + r).join(''),
    runs: [first, ...rest.map(([, r]) => r)],
  }));
const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
const full = (s: string) =>
  s.replace(/[^A-Za-z0-9]/g, (c) => (encodeURIComponent(c) === c ? hex(c) : encodeURIComponent(c)));
const ENCODINGS: ((s: string) => string)[] = [encodeURIComponent, full, (s) => full(full(s))];
const CONTEXTS: ((v: string) => string)[] = [
  (v) => `GET https://api.example.com/v?password=${v} failed`,
  (v) => `GET https://api.example.com/v?a=b&token=${v}&c=d failed`,
  (v) => `GET https://a.example/v#access_token=${v}&x=y`,
  (v) => `GET https://app:${v}@api.example.com/v failed`,
  (v) => `at //app:${v}@host/x`,
  (v) => `dsn password=${v} refused`,
  (v) => `error: api_key: ${v} rejected`,
  (v) => `X-Api-Key: ${v}`,
  (v) => `body {"url":"https://h.example/?token=${v}"} bad`,
  (v) => `GET https://a.example/?next=${encodeURIComponent(`https://b.example/?token=${v}`)} failed`,
];
const decode = (s: string) =>
  s.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });

it('no 4-character run of a percent-encoded secret survives, in any decoding of the output', () => {
  fc.assert(
    fc.property(
      secretArb,
      fc.constantFrom(...ENCODINGS),
      fc.constantFrom(...CONTEXTS),
      ({ secret, runs }, encode, context) => {
        fc.pre(encode !== encodeURIComponent || !/[()!*]/.test(secret));
        const out = scrubCredentials(context(encode(secret)));
        for (const form of [out, decode(out), decode(decode(out)), out.replace(/\\(.)/g, '$1')])
          for (const r of runs) expect(form).not.toContain(r);
      },
    ),
    { numRuns: 3000 },
  );
});

it('a secret whose encoded `@`, `/` or `?` the user info holds is redacted whole (scrubbed encoded first)', () => {
  expect(scrubCredentials('at //app:QWXZ%27KJ23%40ZZ99@host/x')).toBe('at //[redacted]@host/x');
  expect(scrubCredentials('GET https://app:5444%2F98ZJ%0A82QQ%3F434JW@api.example.com/v failed')).toBe(
    'GET https://[redacted]:[redacted]@api.example.com/v failed',
  );
});

const fill = (s: string, n = 200_000) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
it.each([
  ['%20a', fill('%20a')],
  ['a=%20', fill('a=%20')],
  ['password=%20…', `password=${fill('%20')}`],
  ['%2525…', fill('%2525')],
  ['//a:%40…', fill('//a:%40')],
  ['%E2%80%83x…', fill('%E2%80%83x')],
  ['\\%22…', fill('\\%22')],
  ['Digest a=%22,…', `Digest ${fill('a=%22,')}`],
  ['token%3D%20…', fill('token%3D%20')],
])('an adversarial %s of 200 KB is scrubbed (linear)', (_name, text) => {
  const out = scrubCredentials(text);
  expect(out.length).toBeLessThanOrEqual(text.length * 2);
  expect(out).not.toMatch(/password=%20/);
});
