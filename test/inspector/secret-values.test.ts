/**
 * Secrets the inspector's redaction let through to the page and to Stately: a Digest credential
 * (`Digest username="u", response="…"`: free-text scrubbing hid only the first parameter) and
 * values under `pass`, `passphrase`, `otp`, `pin` (the library's secret names cover `password`,
 * `pwd`, not these). Whole keys only: `passenger` and `spin` stay readable.
 */
import { describe, expect, it } from 'vitest';
import { redactValue } from '../../src/inspector/redact-value.js';

const S = 'SECRETabc123XYZ';

describe('redactValue: credentials by shape and short secret names', () => {
  it.each([
    { auth_header: `Digest username="u", realm="r", response="${S}"` },
    { v: [`Digest response="${S}"`] },
    { pass: S },
    { Passphrase: S },
    { otp: S },
    { pin: S },
    { login: { user: 'u', pass: S } },
  ])('%j: the secret is not shown', (value) => {
    expect(JSON.stringify(redactValue(value))).not.toContain(S);
  });

  it('passenger and spin are not secret names; a word is not a credential', () => {
    expect(redactValue({ passenger: 'Ada', spin: 3, note: 'the weekly digest' })).toEqual({
      passenger: 'Ada',
      spin: 3,
      note: 'the weekly digest',
    });
  });

  it('traps that throw and getters: [unreadable] or redacted, never a throw, never the secret in any encoding', () => {
    const hostile = [
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error(S);
          },
        },
      ),
      new Proxy(
        { a: 1 },
        {
          getOwnPropertyDescriptor: () => {
            throw new Error(S);
          },
        },
      ),
      new Proxy(
        { a: 1 },
        {
          get: () => {
            throw new Error(S);
          },
        },
      ),
    ];
    for (const value of hostile) expect(JSON.stringify(redactValue({ ctx: value }))).not.toContain(S);
    const getters = {
      get token() {
        return S;
      },
      get shaped() {
        return `Bearer ${S}`;
      },
      get pct() {
        return `https://h/x?code=${encodeURIComponent(`${S}+/`)}`;
      },
      get b64() {
        return `Basic ${Buffer.from(`u:${S}`).toString('base64')}`;
      },
      get json() {
        return JSON.stringify({ token: S });
      },
    };
    const shown = JSON.stringify(redactValue(getters));
    for (const form of [S, encodeURIComponent(S), Buffer.from(`u:${S}`).toString('base64')])
      expect(shown).not.toContain(form);
  });

  it('an Error or a URL under a secret name is hidden whole, as a string there is', () => {
    const value = {
      token: new URL(`https://h/${S}/x`),
      password: new Error(`rejected ${S}`),
      err: new Error(`failed https://h/x?token=${encodeURIComponent(S)}`),
    };
    expect(JSON.stringify(redactValue(value))).not.toContain(S);
    expect(JSON.stringify(redactValue(value))).not.toContain(encodeURIComponent(S));
  });
});
