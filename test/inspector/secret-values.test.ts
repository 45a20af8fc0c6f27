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
});
