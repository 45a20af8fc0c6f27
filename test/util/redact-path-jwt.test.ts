/**
 * A JWT in a URL's path (src/util/redact.ts PATH_JWT) is hidden whole, whatever JOSE shape it has:
 * a JWE's 5 parts (before: its ciphertext and tag were shown after `[redacted]`), a JWE whose
 * encrypted key is empty (`dir`: `eyJ…..iv.ct.tag`; before: shown whole), a JWS with a detached
 * (empty) payload, dots percent-encoded (`%2E`; before: shown whole), after `:` in a segment
 * (`/t:eyJ…`); and every part is a secret to scrub from free text (secretsOf). A file whose name
 * merely starts with `eyJ` (`eyJfoo.min.js`; before: `[redacted]`) and a base64 id with no dots are
 * ordinary path segments. Linear on 1 MB of hostile paths.
 */
import { describe, expect, it } from 'vitest';
import { redactPathParameters, redactText, redactUrl, secretsOf } from '../../src/util/redact.js';

const HEADER = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0';
const CIPHERTEXT = '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TAL';
const TAG = 'XFBoMYUZodetZdvTiFvSkQ';
const SIGNATURE = 'k7QxZp3vN9mW2sL8rT4yB6';
const JWS = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${SIGNATURE}`;

const SHAPES: [string, string, string[]][] = [
  [
    'a JWE (5 parts)',
    `${HEADER}.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZ.48V1_ALb6US04U3b.${CIPHERTEXT}.${TAG}`,
    [CIPHERTEXT, TAG],
  ],
  ['a JWE with an empty key (dir)', `${HEADER}..48V1_ALb6US04U3b.${CIPHERTEXT}.${TAG}`, [CIPHERTEXT, TAG]],
  ['a JWS with a detached payload', `eyJhbGciOiJIUzI1NiJ9..${SIGNATURE}`, [SIGNATURE]],
  ['a JWS, dots as %2E', JWS.replaceAll('.', '%2E'), [SIGNATURE]],
  ['a JWS, dots as %2e', JWS.replaceAll('.', '%2e'), [SIGNATURE]],
  ['a JWS after `t:`', `t:${JWS}`, [SIGNATURE]],
];

describe('redact: a JWT in a URL path', () => {
  it.each(SHAPES)('%s: hidden whole, and scrubbed from free text', (_name, segment, pieces) => {
    const url = `wss://rt.example/socket/${segment}/feed`;
    const shown = redactUrl(url);
    expect(shown).toBe(`wss://rt.example/socket/${segment.startsWith('t:') ? 't:' : ''}[redacted]/feed`);
    const text = redactText(
      `server said: bad token ${segment} (${decodeURIComponent(segment)})`,
      secretsOf(url),
    );
    for (const piece of pieces) {
      expect(shown).not.toContain(piece);
      expect(text).not.toContain(piece);
    }
  });

  it.each([
    ['a file named eyJ…', 'wss://cdn.example/assets/eyJfoo.min.js'],
    ['a base64 id (no dots)', 'wss://api.example/ids/eyJpZCI6MTIzNDV9/feed'],
    ['a file named eyJ… with a long stem', 'wss://cdn.example/eyJapan2025.tar.gz'],
  ])('%s is an ordinary segment', (_name, url) => {
    expect(redactUrl(url)).toBe(url);
    expect(secretsOf(url)).toEqual([]);
  });

  it('is linear on 1 MB of hostile paths', () => {
    const n = 1_000_000;
    for (const path of [
      `/eyJ${'a'.repeat(n)}`,
      `/eyJ${'a'.repeat(n)}%2E`,
      '.eyJaaaaaaaaaaaaaa.b'.repeat(n / 20),
      '.eyJaaaaaaaaaaaaaa%2E'.repeat(n / 21),
      `/eyJaaaaaaaaaaaaaa.a.${'a.'.repeat(n / 2)}`,
      '/eyJ'.repeat(n / 4),
    ]) {
      const started = performance.now();
      redactPathParameters(path);
      secretsOf(`wss://h.example${path}`);
      // Quadratic would take minutes; generous for a busy machine.
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });
});
