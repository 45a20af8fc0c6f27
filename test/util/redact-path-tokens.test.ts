/**
 * Tokens that are a URL's path, not a JWT (round 41): Telegram's bot API (`/bot<id>:<token>/…`),
 * Slack's incoming webhooks (`/services/T…/B…/<secret>`), Discord's webhooks
 * (`/api/webhooks/<id>/<token>`) and a random key as a whole segment (24+ characters of
 * `[A-Za-z0-9_-]`, with a digit, an upper- and a lower-case letter). Hidden by redactUrl, in free
 * text (scrubCredentials, also without a scheme), and by a link's SecretSet wherever a server
 * quotes them (as written, percent-encoded, base64). Ordinary paths stay readable (the false
 * positives measured: docs/errors.md, "Secrets").
 */
import { describe, expect, it } from 'vitest';
import { redactUrl, SecretSet, secretsOf } from '../../src/util/redact.js';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const TELEGRAM_TOKEN = 'AAH-abcdefghijklmnopqrstuvwxyz12345';
const SLACK_SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXX';
const DISCORD_TOKEN = 'abcDEF-tokenXYZ0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';
const RANDOM_KEY = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg';

const CASES: { url: string; token: string; shown: string }[] = [
  {
    url: `https://api.telegram.org/bot123456789:${TELEGRAM_TOKEN}/sendMessage`,
    token: TELEGRAM_TOKEN,
    shown: 'https://api.telegram.org/bot123456789:[redacted]/sendMessage',
  },
  {
    url: `https://hooks.slack.com/services/T0000/B0000/${SLACK_SECRET}`,
    token: SLACK_SECRET,
    shown: 'https://hooks.slack.com/services/T0000/B0000/[redacted]',
  },
  {
    url: `https://discord.com/api/webhooks/123456789/${DISCORD_TOKEN}`,
    token: DISCORD_TOKEN,
    shown: 'https://discord.com/api/webhooks/123456789/[redacted]',
  },
  {
    url: `wss://feed.example/k/${RANDOM_KEY}/stream`,
    token: RANDOM_KEY,
    shown: 'wss://feed.example/k/[redacted]/stream',
  },
];

describe('a token in the path is redacted', () => {
  for (const { url, token, shown } of CASES) {
    it(`redactUrl: ${shown}`, () => {
      expect(redactUrl(url)).toBe(shown);
    });
    it(`in free text, with and without the scheme: ${shown}`, () => {
      expect(scrubCredentials(`POST ${url} failed`)).toBe(`POST ${shown} failed`);
      const bare = url.replace(/^[a-z]+:\/\//, '');
      expect(scrubCredentials(`POST ${bare} failed`)).not.toContain(token);
    });
    it(`a server quoting it, in any form, is scrubbed (secretsOf): ${shown}`, () => {
      const set = new SecretSet();
      set.addFrom(url);
      expect(secretsOf(url)).toContain(token);
      for (const quoted of [
        `unknown token ${token}`,
        `path was ${encodeURIComponent(url)}`,
        `echo ${btoa(`token=${token}`)}`,
      ])
        expect(set.redact(quoted)).not.toContain(token.slice(4, 20));
    });
  }
});

describe('ordinary paths stay readable', () => {
  const ORDINARY = [
    'wss://h.example/api/v1/users',
    'wss://h.example/users/123e4567-e89b-12d3-a456-426614174000',
    'wss://h.example/USERS/123E4567-E89B-12D3-A456-426614174000',
    'wss://h.example/commit/3f2a9c0b1d4e5f60718293a4b5c6d7e8f9012345',
    'wss://h.example/static/app.3f2a9c.js',
    'wss://h.example/static/AbCdEf0123456789abcdefGHij.js',
    'wss://h.example/docs/getting-started-with-linkvisor-2024',
    'wss://h.example/bot/status',
    'wss://h.example/services/chat',
    'wss://h.example/api/webhooks/list',
  ];
  for (const url of ORDINARY)
    it(url, () => {
      expect(redactUrl(url)).toBe(url);
      expect(secretsOf(url)).toEqual([]);
    });
});
