/**
 * The secrets of a link in every form they come back in, collected in linear time.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { headerSecrets } from '../../src/util/header-secrets.js';
import {
  MAX_SHOWN_URL_CHARS,
  REDACTED,
  redactUrl,
  SecretSet,
  secretForms,
  secretsOf,
} from '../../src/util/redact.js';
import { waitFor } from '../helpers/wait.js';

describe('redact: secret forms', () => {
  it('a secret as written, percent-decoded, percent-encoded (both hex cases), form-encoded and JSON-escaped', () => {
    const forms = secretForms('Pa55%40w0rd%20zz"\\é');
    for (const form of [
      'Pa55%40w0rd%20zz"\\é',
      'Pa55@w0rd zz"\\é',
      'Pa55%40w0rd%20zz%22%5C%C3%A9',
      'Pa55%40w0rd%20zz%22%5c%c3%a9',
      'Pa55%40w0rd+zz%22%5C%C3%A9',
      'Pa55@w0rd%20zz%22%5C%C3%A9',
      'Pa55@w0rd zz\\"\\\\é',
    ]) {
      expect(forms).toContain(form);
    }
  });

  it('user info gives the Basic credential a client builds from it (base64, base64url, unpadded; raw and decoded)', () => {
    const secrets = secretsOf('ws://carol%40example.com:Pa55%40w0rd%20zz@host/');
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    for (const form of [
      'carol@example.com',
      'carol%40example.com',
      'Pa55@w0rd zz',
      b64('carol@example.com:Pa55@w0rd zz'),
      b64('carol%40example.com:Pa55%40w0rd%20zz'),
      Buffer.from('carol@example.com:Pa55@w0rd zz').toString('base64url'),
    ]) {
      expect(secrets).toContain(form);
    }
  });

  it('a Basic header given by the application: its decoded pair and password too', () => {
    const credential = Buffer.from('dave:s3cr3t pw').toString('base64');
    const set = new SecretSet();
    const headers = { Authorization: `Basic ${credential}` };
    set.addFrom('ws://host/', headers, [...secretsOf('ws://host/'), ...headerSecrets(headers)]);
    expect(set.redact(`got ${credential}, i.e. dave:s3cr3t pw, password s3cr3t+pw`)).toBe(
      `got ${REDACTED}, i.e. ${REDACTED}, password ${REDACTED}`,
    );
  });

  it('collecting from a URL with many query parameters is linear: four times the parameters cost about four times as much', () => {
    const urlWith = (n: number) =>
      `ws://u:p@127.0.0.1:1/x?${Array.from({ length: n }, (_, i) => `k${i}=v${i}-${'x'.repeat(i % 7)}`).join('&')}`;
    // CPU time of this process (a busy machine's other processes do not count), least of three.
    const cpuMs = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    const best = (fn: () => void) => {
      let least = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const t = cpuMs();
        fn();
        least = Math.min(least, cpuMs() - t);
      }
      return least;
    };
    const collect = (url: string, n: number) =>
      best(() => {
        const set = new SecretSet();
        set.addFrom(url);
        expect(set.size).toBeGreaterThanOrEqual(n);
      });
    // The growth, not a ratio to some other code's speed: each value now yields several
    // secret forms (raw, encoded, escaped, base64), a constant that differs from machine to
    // machine and made a bound of "60 × parsing the URL" fail on a loaded CI host.
    const small = 20_000;
    const large = 4 * small;
    const smallUrl = urlWith(small);
    const largeUrl = urlWith(large);
    const smallMs = collect(smallUrl, small);
    const largeMs = collect(largeUrl, large);
    // Linear is ≈4×, the quadratic collection this guards against was ≈16×. Generous bound.
    expect(largeMs, `${large}: ${largeMs.toFixed(0)} ms, ${small}: ${smallMs.toFixed(0)} ms`).toBeLessThan(
      Math.max(9 * smallMs, 200),
    );
    // A later attempt with the same URL costs about one comparison, not a second collection.
    const set = new SecretSet();
    set.addFrom(largeUrl);
    expect(best(() => set.addFrom(largeUrl))).toBeLessThan(Math.max(largeMs / 4, 50));
  });
});

describe('redact: what is shown of a URL is capped', () => {
  it('status().url of a link with a 100 KB path is cut to MAX_SHOWN_URL_CHARS with an ellipsis, secrets redacted first', async () => {
    const network = createMemoryNetwork();
    network.listen('mem://svc');
    const supervisor = createSupervisor({ transport: network.transport, heartbeat: false });
    const long = `mem://svc/${'p'.repeat(100_000)}?token=SECRET123`;
    const link = supervisor.connect(long);
    const perAttempt = supervisor.connect(() => long, { id: 'x'.repeat(200) });
    // Before its first attempt resolved the URL, a per-attempt link shows its label: capped too.
    const label = perAttempt.status().url;
    expect(label.length).toBeLessThanOrEqual(MAX_SHOWN_URL_CHARS);
    expect(label.endsWith('…')).toBe(true);
    await link.ready();
    await waitFor(() => perAttempt.status().url.startsWith('mem://'), { message: 'the resolved URL' });
    for (const status of [link.status(), perAttempt.status()]) {
      expect(status.url.length).toBeLessThanOrEqual(MAX_SHOWN_URL_CHARS);
      expect(status.url.endsWith('…')).toBe(true);
      expect(status.url.startsWith('mem://svc/ppp')).toBe(true);
      expect(status.url).not.toContain('SECRET123');
    }
    await supervisor.close();
    expect(redactUrl('ws://host/short?a=1')).toBe('ws://host/short?a=[redacted]');
  });
});

describe('redact: a per-attempt URL with a fresh token each time', () => {
  it('keeps the secrets of the recent attempts only: the set does not grow for ever', () => {
    const set = new SecretSet();
    set.addFrom('ws://host/x?token=first-token');
    const one = set.size;
    for (let i = 0; i < 1_000; i++) set.addFrom(`ws://host/x?token=token-${i}`);
    expect(set.size).toBeLessThanOrEqual(8 * one);
    expect(set.redact('token-999 and token-995')).toBe(`${REDACTED} and ${REDACTED}`);
    // The same URL again costs a lookup and keeps its secrets.
    set.addFrom('ws://host/x?token=token-990');
    expect(set.redact('token-990')).toBe(REDACTED);
  });
});
