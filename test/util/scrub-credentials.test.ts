/**
 * The free-text scrubber (src/util/scrub-credentials.ts), table by table: every common form a key
 * or token takes in free text, headers, query strings and JSON (plain, percent-encoded, JSON-
 * escaped) loses its secret; ordinary words next to secret-sounding names keep theirs; and a
 * 1 MB input of every shape that made a regular expression backtrack is scrubbed in linear time
 * (a generous bound: a quadratic pass takes hours on 1 MB, a linear one well under a second).
 */
import { describe, expect, it } from 'vitest';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

/** A realistic secret: long, mixed, with digits (as keys and tokens are). */
const K = 'k3yV4lu3Abcd9876';
const basic = (pair: string) => Buffer.from(pair).toString('base64');
const enc = encodeURIComponent;

/** [what, text]: `K` (or the marked secret) must not survive. Rows marked `today` were already
 * scrubbed before round 19; the others leaked. */
const SCRUBBED: [string, string, string?][] = [
  // free text, no separator
  ['apikey and a space', `request failed: apikey ${K}`],
  ['APIKEY upper case', `APIKEY ${K}`],
  ['api key, two words', `invalid api key ${K}`],
  ['access_token and a space', `access_token ${K}`],
  ['client_secret and a space', `client_secret ${K}`],
  ['x-api-key and a space', `x-api-key ${K}`],
  // headers
  ['X-Api-Key header (today)', `X-Api-Key: ${K}`],
  ['x-api-key header, no space (today)', `x-api-key:${K}`],
  ['PRIVATE-TOKEN header (today)', `PRIVATE-TOKEN: ${K}`],
  ['Authorization: Basic (today)', `Authorization: Basic ${basic(`bob:${K}`)}`, basic(`bob:${K}`)],
  [
    'authorization: basic, lower case (today)',
    `authorization: basic ${basic(`bob:${K}`)}`,
    basic(`bob:${K}`),
  ],
  ['Authorization: Bearer (today)', `Authorization: Bearer ${K}`],
  ['Authorization: Digest with a quoted response', `Authorization: Digest username="bob", response="${K}"`],
  ['Proxy-Authorization: Negotiate (today)', `Proxy-Authorization: Negotiate ${K}`],
  // Any scheme of an Authorization header (round 19 (review), kept through the merge with (gaps)).
  ['Authorization: ApiKey (Elasticsearch)', `Authorization: ApiKey ${K}`],
  ['authorization: SSWS (Okta), lower case', `authorization: SSWS ${K}`],
  ['Proxy-Authorization: Splunk', `Proxy-Authorization: Splunk ${K}`],
  ['a Ruby hash\'s "password"=>"…"', `{"user"=>"app", "password"=>"${K}"}`],
  ["a Ruby hash's :api_key => …", `{:api_key => "${K}"}`],
  ['a bare Bearer in free text (today)', `server said Bearer ${K} is revoked`],
  ['Cookie pairs (today)', `Cookie: a=1; sid=${K}`],
  // query strings and forms
  ['api-key= (today)', `api-key=${K}`],
  ['access_token= (today)', `/cb#access_token=${K}&state=1`],
  ['client_secret in a form body (today)', `grant_type=client_credentials&client_secret=${K}`],
  [
    'sig= of a SAS URL without its scheme',
    `GET /container/blob?sv=2021-08-06&se=2030&sig=${enc(`${K}+/=`)}`,
    enc(`${K}+/=`),
  ],
  ['sig= in a full URL (today)', `https://acct.blob.core.windows.net/c/b?sv=1&sig=${K}`],
  ['X-Amz-Signature (today)', `?X-Amz-Credential=AKIAEXAMPLE%2F2024&X-Amz-Signature=${K}`],
  ['X-Goog-Signature (today)', `x-goog-signature=${K}`],
  ['refreshToken= camelCase (today)', `refreshToken=${K}`],
  // JSON
  ['"client_secret": "…" (today)', `{"client_secret": "${K}"}`],
  ['a quoted value with a space', `{"password": "correct horse ${K}"}`],
  ['"apiKey" camelCase (today)', `{"apiKey":"${K}"}`],
  ['"Authorization": "Bearer …"', `{"headers":{"Authorization":"Bearer ${K}"}}`],
  ['"sig" in JSON', `{"sig":"${K}"}`],
  // URL user info
  ['ws user info (today)', `wss://bob:${K}@example.org/feed`],
  ['protocol-relative user info', `see //bob:${K}@example.org/feed`],
  ['a token as user info (today)', `https://${K}@github.com/org/repo.git`],
  // percent-encoded and JSON-escaped
  ['token%3D (today)', `next=${enc(`/x?token=${K}`)}`],
  ['apikey%20…', `q=apikey%20${K}`],
  ['%26sig%3D…', `redirect=${enc(`/c/b?sv=1&sig=${K}`)}`],
  ['twice-encoded userinfo (today)', `u=${enc(enc(`wss://bob:${K}@h/`))}`],
  ['JSON-escaped api_key (today)', `{\\"api_key\\":\\"${K}\\"}`],
  ['JSON-escaped sig', `{\\"sig\\":\\"${K}\\"}`],
  ['JSON-escaped apikey and a space', `\\"apikey ${K}\\"`],
  // well-known token shapes, anywhere
  ['a GitHub token', 'ghp_0123456789abcdefghijABCDEFGHIJ456789', 'ghp_0123456789abcdefghijABCDEFGHIJ456789'],
  ['a GitHub fine-grained token', `github_pat_11ABCDEFG0123456789_${K}${K}`, `${K}${K}`],
  ['a GitLab token', 'glpat-abcDEF0123456789xyzW', 'glpat-abcDEF0123456789xyzW'],
  ['a Slack token', 'xoxb-1234567890-0987654321-AbCdEfGhIjKl', 'xoxb-1234567890-0987654321-AbCdEfGhIjKl'],
  ['a Stripe key', 'sk_live_51Habcdefghijklmnop', 'sk_live_51Habcdefghijklmnop'],
  ['an AWS access key id', 'key id AKIAIOSFODNN7EXAMPLE in use', 'AKIAIOSFODNN7EXAMPLE'],
  ['a JWT (today)', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'eyJzdWIiOiIxIn0'],
  // round 31 (i31clirev's note): a JWE's five parts, a `dir` JWE (its key empty), a detached JWS
  // (its payload empty), dots percent-encoded: each part after the header was left in free text
  [
    'a JWE: its ciphertext',
    '/socket/eyJhbGciOiJSU0EifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn closed',
    'Y2lwaGVydGV4dA',
  ],
  ['a JWE: its tag', 'reason eyJhbGciOiJSU0EifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFnVGFnVGFn', 'dGFnVGFnVGFn'],
  ['a dir JWE', 'at /t/eyJhbGciOiJkaXIifQ..aXY.Y2lwaGVydGV4dA.dGFn now', 'Y2lwaGVydGV4dA'],
  ['a detached JWS', 'sig eyJhbGciOiJIUzI1NiJ9..c2lnbmF0dXJlc2ln', 'c2lnbmF0dXJlc2ln'],
  ['a JWT with %2E dots', '/s/eyJhbGciOiJIUzI1NiJ9%2EeyJzdWIiOiIxIn0%2Ec2lnbmF0dXJl', 'c2lnbmF0dXJl'],
];

/** Text that must come out unchanged: ordinary words next to secret-sounding names. Rows marked
 * `today` were left alone before round 19 too; the others were scrubbed. */
const KEPT: [string, string][] = [
  ['author', 'author: Jane Doe'],
  ['passed', 'tests passed: 12'],
  ['bypass', 'bypass=true'],
  ['monkey', 'monkey: banana'],
  ['keyboard', 'keyboard: us'],
  ['compass', 'compass: north'],
  ['max_tokens', 'max_tokens=100'],
  ['sessions', 'sessions: 3'],
  ['tokenizer', 'tokenizer: bpe'],
  ['Basic usage', 'Basic usage: connect(url)'],
  ['Token expired', 'Token expired'],
  ['Bearer of bad news', 'Bearer of bad news'],
  ['Authorization required (today)', 'Authorization required'],
  ['apikey missing', 'apikey missing'],
  ['access token expired', 'the access token expired'],
  ['api key is', 'the api key is not set'],
  ['close code (today)', 'closed with code 1006 (abnormal)'],
  ['signal (today)', 'child exited, signal: SIGTERM'],
  ['a plain URL (today)', 'wss://example.org/feed'],
  ['an email address', 'mail bob@example.org about it'],
  ['a path with //', 'file:///tmp/x and a//b'],
];

describe('scrubCredentials', () => {
  it.each(SCRUBBED)('scrubs %s', (_what, text, secret = K) => {
    const out = scrubCredentials(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it.each(KEPT)('keeps %s', (_what, text) => {
    expect(scrubCredentials(text)).toBe(text);
  });

  it('keeps the name, the separator and an auth scheme readable', () => {
    expect(scrubCredentials(`X-Api-Key: ${K}`)).toBe('X-Api-Key: [redacted]');
    expect(scrubCredentials(`Authorization: Bearer ${K}`)).toBe('Authorization: Bearer [redacted]');
    expect(scrubCredentials(`{"token":"${K}","n":1}`)).toBe('{"token":"[redacted]","n":1}');
    expect(scrubCredentials(`apikey ${K} rejected`)).toBe('apikey [redacted] rejected');
    expect(scrubCredentials(`/b?sv=1&sig=${K}&se=2`)).toBe('/b?sv=1&sig=[redacted]&se=2');
  });

  it('takes linear time: 1 MB of every shape that makes a pattern backtrack', () => {
    const shapes = [
      'a-',
      'key-',
      'a.',
      'eyJ-',
      '%41',
      'a=',
      'token=',
      'Bearer ',
      'http://a.',
      'x ',
      '\\u0041',
      '"a":',
      'apikey ',
      'ghp_',
      '//a',
      ' :',
      'cookie:',
      'a%2',
      'sig=a&',
      'Authorization: ',
      'authorization:a ',
      '"a"=>',
      '-a',
      // Round 41: a quote inside a value, a URL, user info or an encoded word.
      "a'",
      'token="a"',
      "token='a'",
      'password=a"',
      "http://a'",
      "//a'",
      "%41'",
      'a`',
      // Round 41: path tokens and the new token shapes.
      '/Aa1',
      ':Aa1-',
      '/bot1',
      '/services/T1/B',
      '/webhooks/1/',
      'sk-',
      'AKIAAAAAAAAAAAAAAAAA ',
      '1:AA',
      // A PEM private key's BEGIN line, body and dashes (review of round 41).
      '-----BEGIN A PRIVATE KEY-----a-',
      '-----BEGIN ',
      // One BEGIN and 1 MB of its label (a run of [A-Z ] around PRIVATE KEY took 40 KB 0.2 s).
      `-----BEGIN${' PRIVATE KEY'.repeat(83_400)}`,
      '-----END PRIVATE KEY',
      '-----',
      'a\'"`',
    ];
    for (const shape of shapes) {
      const text = shape.repeat(Math.ceil(1_000_000 / shape.length));
      const started = performance.now();
      scrubCredentials(text);
      const ms = performance.now() - started;
      // Generous: linear is ~10–200 ms on this machine, quadratic hours (16 KB of 'a-' took 1 s).
      expect(ms, `1 MB of ${JSON.stringify(shape.slice(0, 60))}`).toBeLessThan(10_000);
    }
  });
});

/** The fast path: a text none of the patterns can redact anything of is returned without running
 * them (every dropped link's close reason, `closed with code 1006`). Each row is the shortest
 * secret that only one of the fast path's checks sends on to the patterns: a check dropped or
 * narrowed (a character left out of the run's class, a run of 9) leaks that row's secret. */
describe('scrubCredentials: texts that cannot hold a credential', () => {
  it.each([
    ['`:` (an assignment)', 'pwd:x', 'pwd:[redacted]'],
    ['`=` (an assignment)', 'pin=1', 'pin=[redacted]'],
    ['`/` (user info of a protocol-relative URL)', '//u@h', '//[redacted]@h'],
    ['`%` (a percent-encoded assignment)', 'pwd%3Ax', 'pwd:[redacted]'],
    ['`\\` (a JSON-escaped assignment)', 'pwd\\u003ax', 'pwd:[redacted]'],
    ['`eyJ` (a JWT of six characters)', 'eyJa..', '[redacted]'],
    ['a run of 8 with each of `.~+-` (a credential after a scheme)', 'Bearer a.b~c+-1', 'Bearer [redacted]'],
    ['a run of 8 (a credential after a key name)', 'apikey abcdefg1', 'apikey [redacted]'],
  ])('sends on text with %s', (_what, text, scrubbed) => {
    expect(scrubCredentials(text)).toBe(scrubbed);
  });

  it('returns a text without any of them as it is', () => {
    for (const text of ['closed with code 1006', 'read ECONN', 'Bearer abcdef1', 'apikey abc.12', ''])
      expect(scrubCredentials(text)).toBe(text);
  });
});
