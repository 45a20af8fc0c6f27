/**
 * scrubCredentials' fast path (a text none of its patterns can redact anything of is returned as
 * it is, BENCHMARKS.md Round 35 (storm)), property by property: for each pattern of
 * src/util/scrub-credentials.ts, generated texts it redacts, at their shortest (a value of 8 after
 * a scheme or key name, a token shape at its least length, a one-character assignment, a JWT of
 * three short parts) and split by each of `. ~ + - _`, in running text of no trigger character,
 * still lose their secret: none takes the fast path. And a link's own secret of 5 plain letters
 * (no trigger, no run of 8) is still removed: the link's secrets are replaced before the scrub,
 * whatever it skips (src/runtime/link-wire.ts: `scrub(secretSet.redact(text))`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_SUPPORT } from '../../src/runtime/attempt-headers.js';
import { REDACTED, SecretSet } from '../../src/util/redact.js';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const chars = (set: string, min: number, max = min + 4) =>
  fc.array(fc.constantFrom(...set), { minLength: min, maxLength: max }).map((a) => a.join(''));
const ALNUM = 'abcXYZ0189';
/** The characters of a token68 or key value with no trigger of the fast path (`/` and `=` are). */
const VALUE = `${ALNUM}._~+-`;
const WORD = `${ALNUM}_`;
/** A text with `text` redacted somewhere in running words of no trigger character. */
const around = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom('', 'closed ', 'x (', 'a\n'), text, fc.constantFrom('', ' later', ')', ', ok'))
    .map(([before, t, after]) => `${before}${t}${after}`);
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((up) => [...word].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const space = fc.constantFrom(' ', '\t', '  ', '\u00a0', '\u2003');
/** A value looksLikeCredential takes at its shortest: 8+ characters with a digit. */
const credential = fc.tuple(chars(VALUE, 7, 10), fc.nat(9)).map(([v, d]) => `${d}${v}`);

const SHAPES: [string, fc.Arbitrary<string>][] = [
  [
    'an auth scheme and a token68',
    fc
      .tuple(
        fc.constantFrom('Bearer', 'Basic', 'Digest', 'Token', 'Negotiate', 'NTLM').chain(anyCase),
        space,
        credential,
      )
      .map((p) => p.join('')),
  ],
  [
    'a key name and a value',
    fc
      .tuple(
        fc.constantFrom(
          'apikey',
          'x-api-key',
          'api key',
          'access_token',
          'refresh-token',
          'client secret',
          'private key',
        ),
        space,
        credential,
      )
      .map((p) => p.join('')),
  ],
  [
    'a known token shape',
    fc.oneof(
      fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghs_'), chars(ALNUM, 30)).map((p) => p.join('')),
      chars(WORD, 30).map((v) => `github_pat_${v}`),
      chars(`${WORD}-`, 20).map((v) => `glpat-${v}`),
      chars(`${WORD}-`, 10).map((v) => `xoxb-${v}`),
      chars(WORD, 10).map((v) => `sk_live_${v}`),
      chars('ABCXYZ0189', 16, 16).map((v) => `AKIA${v}`),
      chars(`${WORD}-`, 35, 35).map((v) => `AIza${v}`),
      chars(ALNUM, 36, 36).map((v) => `npm_${v}`),
    ),
  ],
  [
    'a JWT',
    fc
      .tuple(chars(`${WORD}-`, 1, 3), chars(`${WORD}-`, 0, 2), chars(`${WORD}-`, 0, 2))
      .map(([h, p, s]) => `eyJ${h}.${p}.${s}`),
  ],
  [
    'an assignment',
    fc
      .tuple(
        fc.constantFrom('pwd', 'pin', 'token', 'apiKey', 'PASSWORD2', 'sig', 'otp'),
        fc.constantFrom('=', ':', ': ', '=>'),
        chars('abc019', 1, 3),
      )
      .map((p) => p.join('')),
  ],
  ['a cookie', chars(ALNUM, 1, 3).map((v) => `cookie=${v}`)],
  [
    'user info',
    fc.tuple(fc.constantFrom('//', 'ws://', 'https://'), chars(ALNUM, 1, 3)).map(([s, u]) => `${s}${u}@h`),
  ],
  ['a query value', chars(ALNUM, 1, 3).map((v) => `wss://h/?t=${v}`)],
  ['a percent-encoded assignment', fc.constantFrom('%3D', '%3d', '%3A', '%253D').map((e) => `pwd${e}x`)],
  [
    'a JSON-escaped assignment',
    fc.constantFrom('\\u003d', '\\u003D', '\\u003a', '\\\\u003d').map((e) => `pwd${e}x`),
  ],
];

describe('scrubCredentials: no text a pattern redacts takes the fast path', () => {
  it.each(SHAPES)('%s', (_what, shape) => {
    fc.assert(
      fc.property(around(shape), (text) => {
        expect(scrubCredentials(text)).toContain(REDACTED);
      }),
      { numRuns: 400 },
    );
  });
});

describe("a link's own secret of 5 plain letters", () => {
  it('is removed though the scrub has nothing to do with the text', () => {
    const secrets = new SecretSet();
    secrets.addFrom('wss://h/?t=hunte');
    const redact = (text: string) => HEADER_SUPPORT.scrub(secrets.redact(text));
    expect(redact('closed by hunte')).toBe(`closed by ${REDACTED}`);
    expect(redact('hunte')).toBe(REDACTED);
  });
});
