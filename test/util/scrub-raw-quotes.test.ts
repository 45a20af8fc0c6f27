/**
 * A raw quote (`'`, `"`, a backtick) inside a value is part of it, not its end: `password=AB12'CD34`
 * showed `'CD34` (round 41). In an assignment, a header line, a quoted JSON-ish value (`"token":"AB12"CD34"`)
 * and a URL's query, whether scrubCredentials or redactUrlsIn sees it. A quote that closes a value
 * (followed by a space, `,;&)]}>.:` or the end) still ends it and stays shown.
 */
import { describe, expect, it } from 'vitest';
import { redactUrlsIn } from '../../src/util/redact.js';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const SECRET_HALVES = ['AB12', 'CD34'] as const;

describe('a raw quote inside a value does not end it', () => {
  for (const quote of ["'", '"', '`']) {
    const secret = `${SECRET_HALVES[0]}${quote}${SECRET_HALVES[1]}`;
    const texts = [
      `password=${secret} rejected`,
      `X-Api-Key: ${secret}`,
      `error: api_key: ${secret} rejected`,
      `{"token":"${secret}"}`,
      `{'token': '${secret}'}`,
      `GET https://h.example/v?token=${secret} failed`,
      `GET https://h.example/v?a=b&token=${secret}&c=d failed`,
      `GET https://u:${secret}@h.example/v failed`,
    ];
    for (const text of texts)
      it(`${JSON.stringify(text)}: neither half shown`, () => {
        const out = scrubCredentials(text);
        expect(out).toContain('[redacted]');
        for (const half of SECRET_HALVES) expect(out).not.toContain(half);
      });
  }

  it('a URL in HTML ends at its closing quote before `/>` (redactUrlsIn)', () => {
    const html = '<img src="https://h.example/x.png"/> user bob';
    expect(redactUrlsIn(html)).toBe(html);
    expect(scrubCredentials(html)).toBe(html);
  });

  it('a URL in free text keeps a raw quote in its query value (redactUrlsIn)', () => {
    expect(redactUrlsIn("GET wss://h.example/v?token=AB12'CD34 failed")).toBe(
      'GET wss://h.example/v?token=[redacted] failed',
    );
  });
});

describe('a quote that closes a value still ends it', () => {
  const cases: [string, string][] = [
    ["'password=abc12345' was wrong", "'password=[redacted]' was wrong"],
    ["token: 'abc12345'.", "token: '[redacted]'."],
    ['said "token=abc12345", then', 'said "token=[redacted]", then'],
    ['{"token":"abc12345","user":"ann"}', '{"token":"[redacted]","user":"ann"}'],
    ["'wss://h.example/v?token=abc12345' failed", "'wss://h.example/v?token=[redacted]' failed"],
    ['url "wss://h.example/v" failed', 'url "wss://h.example/v" failed'],
    ['`password=abc12345` in the log', '`password=[redacted]` in the log'],
    // A quoted value inside other quotes, then punctuation: its closing quote ends it; only a
    // token's character (`"AB12"CD34"`) after a quote keeps it inside (the rest of the line showed).
    [`'token="abc12345"' failed, user bob`, `'token="[redacted]"' failed, user bob`],
    ['`token="abc12345"` failed, user bob', '`token="[redacted]"` failed, user bob'],
    ["set password='abc12345'? user bob", "set password='[redacted]'? user bob"],
    ['password="abc12345"! user bob', 'password="[redacted]"! user bob'],
    ['{"token":"abc12345"|"user":"bob"}', '{"token":"[redacted]"|"user":"bob"}'],
  ];
  for (const [text, shown] of cases)
    it(JSON.stringify(text), () => {
      expect(scrubCredentials(text)).toBe(shown);
    });
});
