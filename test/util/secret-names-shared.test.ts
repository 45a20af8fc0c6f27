/**
 * One list of secret names and shapes (src/util/redact.ts) serves every place a value is shown:
 * the inspector (redactValue), a session trace (toTraceJson) and free text in errors and close
 * reasons (scrubCredentials). Before, the inspector alone hid `pass`, `passcode`, `otp`, `pin`
 * (a trace recorded them, an error quoting `otp=…` showed it), and free text kept a Digest
 * credential's parameters after the first (`Digest username="u", response="…"` lost only
 * `username=`).
 */
import { describe, expect, it } from 'vitest';
import { redactValue } from '../../src/inspector/redact-value.js';
import { toTraceJson } from '../../src/trace/trace-json.js';
import { SECRET_FIELD_PART, SECRET_FIELD_WORDS } from '../../src/util/redact.js';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const S = 'SECRETabc123XYZ';
// With a number after the word (`PIN2`, `otp1`): one part, as NAME_PARTS splits them, which the
// whole-part test missed: all three showed these values before.
const NAMES = ['pass', 'Passphrase', 'passcode', 'otp', 'pin', 'userPin', 'key_passphrase', 'pfx'];
const NUMBERED = ['PIN2', 'pin2', 'otp1', 'passcode2', 'user_pin2', 'totpPin1'];

describe('secret names: the inspector, a trace and an error hide the same ones', () => {
  it('the shared list holds the inspector’s words', () => {
    expect(SECRET_FIELD_WORDS.split('|')).toEqual(
      expect.arrayContaining(['pass', 'passphrase', 'passcode', 'otp', 'pin']),
    );
  });

  // A literal (it tree-shakes; one built from the list stayed in linkvisor/ws, unused there).
  it('isSecretKey’s part test holds exactly the shared words', () => {
    expect(SECRET_FIELD_PART.source).toBe(`^(?:${SECRET_FIELD_WORDS})\\d*$`);
    expect(SECRET_FIELD_PART.flags).toBe('i');
  });

  it.each(NAMES)('%s: hidden by redactValue, toTraceJson and scrubCredentials', (name) => {
    const value = { login: { user: 'u', [name]: S } };
    expect(JSON.stringify(redactValue(value))).not.toContain(S);
    expect(JSON.stringify(toTraceJson(value, []))).not.toContain(S);
    expect(scrubCredentials(`server said: ${name}=${S}`)).not.toContain(S);
    expect(scrubCredentials(`{"${name}": "${S}"}`)).not.toContain(S);
  });

  it.each(NUMBERED)('%s (a number after the word): hidden by all three', (name) => {
    const value = { login: { user: 'u', [name]: S } };
    expect(JSON.stringify(redactValue(value))).not.toContain(S);
    expect(JSON.stringify(toTraceJson(value, []))).not.toContain(S);
    expect(scrubCredentials(`server said: ${name}=${S}`)).not.toContain(S);
  });

  it('free text: a number after a secret word of its own (PASSWORD2, apiKey1, token2)', () => {
    for (const name of ['PASSWORD2', 'apiKey1', 'token2', 'secret_key3']) {
      expect(scrubCredentials(`${name}=${S}`)).toBe(`${name}=[redacted]`);
    }
    // Numbers alone do not make a name secret, nor does a word that merely starts alike.
    expect(scrubCredentials('spin2=fast pinned3=yes opt2=in x2=1')).toBe(
      'spin2=fast pinned3=yes opt2=in x2=1',
    );
  });

  it('ordinary names stay readable everywhere (passenger, spin, pinned, opted)', () => {
    const value = { passenger: 'Ada', spin: 'fast', pinned: 'yes', opted: 'in' };
    expect(redactValue(value)).toEqual(value);
    expect(toTraceJson(value, [])).toEqual(value);
    expect(scrubCredentials('passenger=Ada spin=fast pinned=yes opted=in')).toBe(
      'passenger=Ada spin=fast pinned=yes opted=in',
    );
  });
});

describe('a Digest credential in free text loses every parameter', () => {
  const digest = `Digest username="u", realm="r", nonce="n0nce", uri="/x", response="${S}", opaque="0p"`;
  it.each([
    ['running text', `upstream refused Digest username="u", realm="r", response="${S}"`],
    ['the whole value', digest],
    ['JSON-escaped', JSON.stringify({ message: `auth ${digest}` })],
    ['percent-encoded', `reason=${encodeURIComponent(`got ${digest}`)}`],
    ['inside an Error shown by the inspector', new Error(`failed: ${digest}`)],
    // A trace hides a credential-shaped value whole (its free text keeps its data for replay).
    ['in a trace', { note: digest, list: [digest] }],
  ])('%s', (_what, given) => {
    const shown =
      typeof given === 'string'
        ? scrubCredentials(given)
        : given instanceof Error
          ? JSON.stringify(redactValue(given))
          : JSON.stringify(toTraceJson(given, []));
    expect(shown).not.toContain(S);
    expect(shown).not.toContain('n0nce');
  });

  // A quoted value may hold `)`, `]`, `}` or `>`: the scrub ends a parameter at those only outside
  // quotes (it showed `Digest [redacted])S3CR"`).
  it.each([
    ['a parenthesis', `Digest response="ab)${S}"`],
    ['brackets and braces', `(Digest username="u", response="x]y}${S}>z")`],
    ['an escaped quote', `Digest response="a\\"b)${S}"`],
  ])('a quoted value with %s inside is hidden whole', (_what, given) => {
    expect(scrubCredentials(given)).not.toContain(S);
  });

  it('the text after a closed credential stays ((Digest a=b) done)', () => {
    expect(scrubCredentials('(Digest a=b) done')).toBe('(Digest [redacted]) done');
  });

  it('a word after Digest stays (the weekly Digest is out)', () => {
    expect(scrubCredentials('the weekly Digest is out')).toBe('the weekly Digest is out');
  });
});

describe('Digest in free text: linear time', () => {
  it.each([
    ['a long name', `Digest ${'a'.repeat(1_000_000)}`],
    ['Digest repeated', 'Digest a'.repeat(150_000)],
    ['Digest and spaces', `Digest${' '.repeat(1_000_000)}x`],
    // An opened quote never closed, at every repeat (the review's hostile shape): 37 ms measured.
    ['an unclosed quote repeated', 'Digest a="'.repeat(100_000)],
    ['an assignment repeated, no quotes', 'Digest a='.repeat(110_000)],
  ])('%s: 1 MB scrubbed in linear time (quadratic would take minutes)', (_what, text) => {
    const start = performance.now();
    scrubCredentials(text);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
