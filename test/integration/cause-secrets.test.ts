/**
 * Secrets stay out of an error's `cause` (docs/errors.md, "What `cause` is"): what the application
 * or a library threw is never kept; the `cause` is a redacted copy (name, code, message, stack,
 * nested causes), so neither `util.inspect(error)`, `JSON.stringify`, the stack nor a nested cause
 * shows the link's secrets, in any form (as written, percent-encoded, base64). Real ws servers on
 * 127.0.0.1.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'Tok3nSecretValue';
const PASSWORD = 'Passw0rdSecret';
const BEARER = 'BearerSecret99';
const SECRETS = [TOKEN, PASSWORD, BEARER];
/** Every form a secret must not be shown in. */
const forms = (secret: string) => [
  secret,
  encodeURIComponent(`?${secret}`).slice(3),
  Buffer.from(secret).toString('base64').replace(/=+$/, ''),
];

const urlFor = (port: number) => `ws://alice:${PASSWORD}@127.0.0.1:${port}/feed?token=${TOKEN}`;

/** An error as a library or the application throws it: the URL, the header and the token in its
 * message, stack, code and a nested cause (percent-encoded and base64 there). */
function quotingError(url: string): Error {
  const inner = Object.assign(
    new Error(`header was Bearer ${BEARER} (${Buffer.from(TOKEN).toString('base64')})`),
    { code: `E_${TOKEN}` },
  );
  const outer = new SyntaxError(`Invalid URL: ${url} ${encodeURIComponent(`?${TOKEN}`)}`, { cause: inner });
  return Object.assign(outer, { detail: { token: TOKEN } });
}

/** Every way an error is shown or logged. */
function shown(error: unknown): string[] {
  const cause = (error as { cause?: unknown }).cause;
  const nested = (cause as { cause?: unknown } | undefined)?.cause;
  return [
    inspect(error, { depth: 10 }),
    textOf(error),
    JSON.stringify(cause ?? null),
    String((cause as { stack?: unknown } | undefined)?.stack),
    String((cause as { message?: unknown } | undefined)?.message),
    inspect(nested, { depth: 10 }),
  ];
}

function expectNoSecrets(errors: unknown[]): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect((error as { cause?: unknown }).cause, 'a cause is shown').toBeDefined();
    for (const text of shown(error))
      for (const secret of SECRETS)
        for (const form of forms(secret))
          expect(text.includes(form), `${form} found in: ${text.slice(0, 600)}`).toBe(false);
  }
}

describe('integration: secrets stay out of error causes', () => {
  const h = useHarness();

  it("a listener's error quoting the URL, the bearer token and base64: the error event's cause", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const url = urlFor(server.port);
    const link = supervisor.connect(url, { headers: { Authorization: `Bearer ${BEARER}` } });
    const errors: LinkvisorError[] = [];
    link.on('error', (error) => errors.push(error));
    link.on('ready', () => {
      throw quotingError(url);
    });
    await waitFor(() => errors.length > 0, { message: 'the listener error' });
    expect(errors[0]?.code).toBe('LV_ERR_LISTENER');
    // The copy keeps what is useful: its class name and its (redacted) text.
    const cause = errors[0]?.cause as Error;
    expect(cause.name).toBe('SyntaxError');
    expect(cause.message).toContain('Invalid URL: ws://[redacted]:[redacted]@127.0.0.1');
    expect((cause.cause as { code?: unknown }).code).toBe('E_[redacted]');
    expectNoSecrets(errors);
  });

  it('shouldReconnect throwing such an error: reported, its cause redacted', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(4000, 'bye') });
    const supervisor = h.supervisor(FAST);
    const url = urlFor(server.port);
    const link = supervisor.connect(url, {
      headers: { Authorization: `Bearer ${BEARER}` },
      shouldReconnect: () => {
        throw quotingError(url);
      },
    });
    const errors: LinkvisorError[] = [];
    link.on('error', (error) => errors.push(error));
    await waitFor(() => errors.length > 0, { message: 'the shouldReconnect error' });
    expectNoSecrets(errors);
  });
});
