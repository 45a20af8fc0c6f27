/**
 * A close reason holds at most 123 bytes, so a server quoting a long credential cuts it: the
 * reason ends with the first part of the secret (sometimes with `…` or `...` after it). The link
 * scrubbed a secret only whole, so most of a long token got through, in status(), events and
 * the inspector. A real ws server quotes the token of the URL and of a header, cut.
 */
import { describe, expect, it } from 'vitest';
import { createInspector } from '../../src/inspector/index.js';
import { SecretSet } from '../../src/util/redact.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** 160 characters of base64url, like an opaque access token. */
const LONG = 'Qm9vdHN0cmFwVG9rZW4tMjAyNi0xMi0wNFQyMDozNDowNS0'.repeat(4).slice(0, 160);
const HEADER = `hdr${LONG.slice(3, 150)}`;

describe('integration: a long secret cut by a server is scrubbed from where it starts', () => {
  const h = useHarness();

  it('SecretSet redacts a cut secret at the end of a text, and only there', () => {
    const set = new SecretSet();
    set.addFrom(`wss://h.example/feed?token=${LONG}`);
    expect(set.redact(`rejected ${LONG.slice(0, 100)}`)).toBe('rejected [redacted]');
    expect(set.redact(`rejected ${LONG.slice(0, 100)}…`)).toBe('rejected [redacted]…');
    expect(set.redact(`rejected ${LONG.slice(0, 100)}...`)).toBe('rejected [redacted]...');
    // A few characters alone are not a secret's start (a word ending as a token starts).
    expect(set.redact(`rejected ${LONG.slice(0, 4)}`)).toBe(`rejected ${LONG.slice(0, 4)}`);
    expect(set.redact(`${LONG.slice(0, 40)} is not cut here`)).toBe(`${LONG.slice(0, 40)} is not cut here`);
  });

  it('a server quoting the URL token and a header token, cut to the close reason limit', async () => {
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const token = (request.url ?? '').split('token=')[1] ?? '';
        const quoted = served++ % 2 === 0 ? token : String(request.headers['x-api-key']);
        const reason = `rejected ${quoted}`;
        ws.close(4001, served % 3 === 0 ? `${reason.slice(0, 100)}...` : reason.slice(0, 123));
      },
    });
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/feed?token=${LONG}`, {
      id: 'cut',
      headers: { 'X-Api-Key': HEADER },
    });
    const events = recordEvents(link);
    await waitFor(() => events.count('reconnecting') >= 4, { message: 'four reconnects' });
    const reasons = events.of<{ reason: { message: string } }>('reconnecting').map((r) => r.reason.message);
    expect(reasons[0]).toBe('closed with code 4001: rejected [redacted]');
    const texts = [
      ...reasons,
      textOf(supervisor.status()),
      ...events.events.map((e) => textOf(e.payload)),
      textOf(inspector.records()),
    ];
    // Any 16 characters of either secret.
    const pieces = [LONG.slice(0, 16), LONG.slice(60, 76), HEADER.slice(0, 16), HEADER.slice(60, 76)];
    const found = pieces.flatMap((piece) =>
      texts.filter((text) => text.includes(piece)).map((text) => `${piece} in ${text.slice(0, 200)}`),
    );
    expect(found).toEqual([]);
    inspector.dispose();
  });
});
