/**
 * Client-side redaction (SecretSet, src/util/redact.ts) catches a URL's secret in base64 at every
 * alignment inside a longer base64 text: a server or proxy that encodes the token with what comes
 * before it (`user:` + token, a JSON body) leaves its bytes starting at byte 0, 1 or 2 of a group
 * of 3. Before: only a secret starting at a group's start and ending the text (its whole base64)
 * was caught; a token in the middle of base64 at any alignment, or as hex, went out. The server's
 * store errors (src/server/store-error.ts) share these forms (test/server/store-error-secrets).
 */
import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/util/redact.js';

const TOKEN = 'k7Qx-9zR~tok.en/42';
const URL_WITH_TOKEN = `wss://api.example/feed?access_token=${encodeURIComponent(TOKEN)}`;

/** `prefix` + the token + a suffix, as UTF-8 bytes. */
const around = (prefix: string) => Buffer.from(`${prefix}${TOKEN}","exp":1767225600}`, 'utf8');

/** The run of base64 characters that depend on the token's bytes alone (no redaction may leave
 * 8 or more of them in a row). */
function tokenRun(encoded: string, prefixBytes: number): string {
  const first = Math.ceil(prefixBytes / 3) * 4;
  const last = Math.floor((prefixBytes + Buffer.byteLength(TOKEN)) / 3) * 4;
  return encoded.slice(first, last);
}

describe('redact: a secret inside a longer base64 text, at each alignment', () => {
  const secrets = new SecretSet();
  secrets.addFrom(URL_WITH_TOKEN);

  // Prefixes of 3, 4 and 5 bytes: the token starts at byte 0, 1 and 2 of a group of 3.
  it.each([
    ['0', '{"t'],
    ['1', '{"t"'],
    ['2', '{"t":'],
  ])('alignment %s: base64, base64url, percent-encoded base64 and hex are redacted', (_at, prefix) => {
    const bytes = around(prefix);
    const base64 = bytes.toString('base64');
    const forms = {
      base64,
      base64url: bytes.toString('base64url'),
      percent: encodeURIComponent(base64),
    };
    for (const [name, encoded] of Object.entries(forms)) {
      const run = tokenRun(name === 'base64url' ? forms.base64url : base64, prefix.length);
      expect(run.length).toBeGreaterThanOrEqual(16);
      const shown = secrets.redact(`upstream said 401 for body=${encoded} (retrying)`);
      expect(shown, name).toContain('[redacted]');
      expect(shown, name).not.toContain(name === 'percent' ? encodeURIComponent(run) : run);
      expect(shown, name).toMatch(/^upstream said 401 for body=.*\(retrying\)$/);
    }
    const hex = bytes.toString('hex');
    for (const text of [hex, hex.toUpperCase()]) {
      const shown = secrets.redact(`key ${text} not found`);
      expect(shown).not.toContain(Buffer.from(TOKEN).toString('hex').slice(0, 16));
      expect(shown.toLowerCase()).not.toContain(Buffer.from(TOKEN).toString('hex').slice(-16));
    }
  });

  it('text without the secret is left alone (no core of 8 characters matches base64 at large)', () => {
    const other = Buffer.from('{"t":"another-token-entirely"}').toString('base64');
    expect(secrets.redact(`body=${other}`)).toBe(`body=${other}`);
    expect(secrets.redact('ids 0123456789abcdef')).toBe('ids 0123456789abcdef');
  });
});
