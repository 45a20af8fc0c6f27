/**
 * A URL's #fragment in error text (redactUrlsIn) and in a shown URL (redactUrl) is redacted the
 * way a query is: keys readable, every value (a bare fragment too) `[redacted]`; neither dropped
 * (a reader lost the part of the URL that tells an OAuth callback from another) nor shown (OAuth's
 * implicit flow puts the token there: `#access_token=…`). Before: the fragment was dropped. Every
 * form of a value the query tests use (test/integration/query-secret-forms.test.ts): raw base64
 * with `+ / =`, percent-encoded once and twice, decoded, a bare token, a session id, JSON-escaped
 * (`\u002B`, `\/`); and the way an application's error reaches a link (a URL function that throws:
 * the link's lastError), nothing left after (the harness).
 */
import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn } from '../../src/util/redact.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BARE, SECRET_FORMS as FORMS, RAW_TOKEN, SESSION } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

/** The pieces of `form` a redaction must not leave (the form and its decoded value). */
const pieces = (form: string) => [form, decodeURIComponent(form.replace(/\\/g, ''))];

describe('redact: a URL fragment is redacted as a query is', () => {
  it.each(FORMS)(
    '%s as a fragment value: keys shown, value redacted, in redactUrl and redactUrlsIn',
    (form) => {
      const url = `https://idp.example/cb?state=s1#access_token=${form}&token_type=bearer`;
      const shown = 'https://idp.example/cb?state=[redacted]#access_token=[redacted]&token_type=[redacted]';
      expect(redactUrl(url)).toBe(shown);
      expect(redactUrlsIn(`redirected to ${url} (no socket)`)).toBe(`redirected to ${shown} (no socket)`);
      expect(redactUrlsIn(`'${url}'`)).toBe(`'${shown}'`);
    },
  );

  it.each(FORMS)('%s as the whole fragment (bare), after a query and a path parameter', (form) => {
    expect(redactUrl(`wss://h.example/feed#${form}`)).toBe('wss://h.example/feed#[redacted]');
    const text = redactUrlsIn(`at wss://h.example/a;jsessionid=${SESSION}?a=1#a=1&${form}&token=x (401)`);
    expect(text).toBe(
      'at wss://h.example/a;jsessionid=[redacted]?a=[redacted]#a=[redacted]&[redacted]&token=[redacted] (401)',
    );
    for (const piece of pieces(form)) expect(text).not.toContain(piece);
  });

  it('a bare base64 token with padding (`k7Qx…==`) is a value in a query as in a fragment, never a key', () => {
    expect(redactUrl(`wss://h.example/feed?${RAW_TOKEN}`)).toBe('wss://h.example/feed?[redacted]');
    expect(redactUrl(`wss://h.example/feed?${BARE}=&a=b`)).toBe(
      'wss://h.example/feed?[redacted]&a=[redacted]',
    );
    expect(redactUrl(`wss://h.example/feed#${BARE}=`)).toBe('wss://h.example/feed#[redacted]');
  });

  it('no fragment, or an empty one: nothing added', () => {
    expect(redactUrl('ws://host/short?a=1')).toBe('ws://host/short?a=[redacted]');
    expect(redactUrlsIn('see https://h.example/docs#')).toBe('see https://h.example/docs#');
    expect(redactUrl('https://h.example/docs#&')).toBe('https://h.example/docs');
  });
});

describe('redact: a fragment in an error an application gives the link', () => {
  const h = useHarness();

  it("a URL function's error quoting an OAuth callback: lastError keeps the fragment's keys, not the token", async () => {
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(() => {
      throw new Error(`login needed: https://idp.example/cb#access_token=${RAW_TOKEN}&expires_in=3600`);
    });
    await waitFor(() => link.status().lastError !== null, { message: 'the attempt failed' });
    const message = link.status().lastError?.message ?? '';
    expect(message).toContain('https://idp.example/cb#access_token=[redacted]&expires_in=[redacted]');
    for (const piece of pieces(RAW_TOKEN)) expect(JSON.stringify(link.status())).not.toContain(piece);
    await supervisor.close();
  });
});
