/**
 * The review of i27quote's rule (docs/errors.md: which refusals quote what), as a user and as an
 * attacker. A leak it left: a URL's scheme was quoted whole (`url: scheme 'akiaiosfodnn7example:'
 * …`: a `key:secret` pair pasted as the URL parses as a scheme and its path). Help it lost: a trace's version given as a string was shown by its length, though
 * the docs say a number as typed is quoted (`'9'`). And what the
 * shape scrub of a server's close reason keeps: ordinary ids a user needs (a commit id, a UUID, a
 * long word, a base64 file name).
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { ReconnectingWebSocket } from '../../src/index.js';
import { TRACE_FORMAT } from '../../src/trace/index.js';
import { parseTrace } from '../../src/trace/trace-format.js';
import { secretForms } from '../../src/util/redact.js';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';
import { FAST, useHarness } from '../helpers/harness.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const PAIR = `${KEY_ID}:wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY`;

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return String((error as Error).message);
  }
  return 'accepted';
}

const quotes = (text: string, secret: string): boolean =>
  secretForms(secret).some((form) => text.toLowerCase().includes(form.toLowerCase()));

describe('leaks i27quote left', () => {
  const h = useHarness();

  it('a key:secret pair given as the URL: its scheme is not quoted (connect, the drop-in)', () => {
    const supervisor = h.supervisor(FAST);
    const fromConnect = messageOf(() => supervisor.connect(PAIR));
    expect(fromConnect).toMatch(/^url: scheme a string of 20 characters is not supported/);
    expect(quotes(fromConnect, KEY_ID)).toBe(false);
    // A word-shaped scheme is still shown: it helps (`ftp`).
    expect(messageOf(() => supervisor.connect('ftp://example.com/'))).toMatch(/^url: scheme 'ftp' is not/);
  });

  it('a key:secret pair from a URL function: the attempt error does not quote it', async () => {
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(() => PAIR, { id: 'pair' });
    const deadline = Date.now() + 5_000;
    while (link.status().lastError == null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const text = JSON.stringify(link.status());
    expect(text).toContain('is not supported');
    expect(quotes(text, KEY_ID)).toBe(false);
  });

  it('the CLI: an unknown command that is a token or a URL is not quoted (a word is, as a stray one)', () => {
    expect(messageOf(() => parseArgs([PAIR]))).toBe(
      'unknown command a string of 59 characters (see linkvisor --help)',
    );
    expect(messageOf(() => parseArgs(['conect']))).toBe(
      "unknown command 'conect' (did you mean 'connect'? see linkvisor --help)",
    );
    expect(messageOf(() => parseArgs(['ws://alice:s3cr3t@host/feed']))).toMatch(
      /^unknown command 'ws:\/\/\[redacted\]@host\/feed'/,
    );
  });
});

describe('the CLI: a numeric password where the port goes (its @host missing)', () => {
  it.each(['123456', '12345678', '123456789012'])(
    'ws://alice:%s/feed: neither URL nor message quote it',
    (pin) => {
      const message = messageOf(() => parseArgs(['connect', `ws://alice:${pin}/feed`]));
      expect(message).toBe(
        `invalid URL 'ws://alice:[redacted]/feed': port of ${pin.length} digits is out of range (0-65535)`,
      );
    },
  );

  it('a port typo of up to 5 digits is still quoted', () => {
    expect(messageOf(() => parseArgs(['connect', 'ws://x:99999/']))).toBe(
      "invalid URL 'ws://x:99999/': port 99999 is out of range (0-65535)",
    );
  });
});

describe('help i27quote lost', () => {
  const h = useHarness();

  // As docs/errors.md says: a number shown, any string by its length (its bundle has 1 B to spare).
  it("the drop-in's close code: a number shown, a string by its length", async () => {
    const server = await h.wsServer();
    const ws = new ReconnectingWebSocket(server.url);
    h.defer(() => ws.close());
    expect(messageOf(() => ws.close(99))).toBe('invalid close code 99');
    expect(messageOf(() => ws.close('99' as never))).toBe('invalid close code a string of 2 characters');
    expect(messageOf(() => ws.close('hunter2' as never))).toBe('invalid close code a string of 7 characters');
  });

  it("a trace's version given as a string: a number as typed is quoted", () => {
    const header = { kind: 'header', format: TRACE_FORMAT, version: '9', clockStartMs: 0, seed: null };
    expect(messageOf(() => parseTrace(JSON.stringify(header)))).toContain("format version '9' is not");
  });
});

describe('no false refusal: what Node and ws send, a link sends', () => {
  const h = useHarness();

  it('latin-1 values, RFC 7230 token names, wsOptions.headers as lists and numbers', async () => {
    let seen: Record<string, unknown> = {};
    const server = await h.wsServer({ onConnection: (_ws, request) => (seen = request.headers) });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url, {
      headers: { "x-a!#$%&'*+.^_`|~1": 'caf\u00e9 \u00ff\tok' },
      wsOptions: { headers: { 'x-list': ['a', 'b\u00e9'], 'x-n': 42 } },
    });
    await link.ready();
    // Node reads header bytes as latin-1: what was sent arrives as it was.
    expect(seen["x-a!#$%&'*+.^_`|~1"]).toBe('caf\u00e9 \u00ff\tok');
    expect(seen['x-list']).toBe('a, b\u00e9');
    expect(seen['x-n']).toBe('42');
    // What Node refuses (DEL, a control character, U+0100) is refused up front, the name quoted.
    for (const bad of ['a\x7fb', 'a\x01b', 'a\u0100b'])
      expect(() => supervisor.connect(server.url, { headers: { 'x-b': bad } })).toThrow(
        "headers: the value of 'x-b' has a control character or one above U+00FF",
      );
  });
});

describe("what the shape scrub keeps of a server's close reason", () => {
  it('a secret after such a name still goes', () => {
    expect(scrubCredentials('token: expired2x')).toBe('token: [redacted]');
    expect(scrubCredentials('password=letmein')).toBe('password=[redacted]');
  });

  it.each([
    'deploy 0123456789abcdef0123456789abcdef01234567 rolled back',
    'tenant 123e4567-e89b-12d3-a456-426614174000 suspended',
    'supercalifragilisticexpialidociousness overload',
    'image aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3Q=.png missing',
    'Token expired',
    'Bearer token required',
    // A status word after a secret name (`token: expired`) was scrubbed as its value: a link's
    // close reason lost what went wrong once i27quote scrubbed it by shape.
    'Invalid token: expired',
    'auth: failed',
    'session token: missing',
    'password: too short',
    'signature: mismatch',
    'credentials: revoked',
    '{"token": null, "error": "jwt: malformed"}',
  ])('%s', (reason) => {
    expect(scrubCredentials(reason)).toBe(reason);
  });
});
