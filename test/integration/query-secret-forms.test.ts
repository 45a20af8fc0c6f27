/**
 * A query value is echoed by servers as it was written, not only as URLSearchParams decodes it: a
 * base64 token pasted into a URL unencoded (`token=abc+def/ghi==`) is `abc def/ghi==` to
 * URLSearchParams, and its raw form was in no form a link scrubbed. A whole query that is a bare
 * token (`?k7Qx…`, no `=`) was shown as a key (`?k7Qx…=[redacted]`) in status() and the link's
 * URL, and scrubbed from no reason; so was a path parameter (`/feed;jsessionid=…`), and a token
 * a server quotes in JSON with `\u` escapes (.NET escapes `+` as `\u002B` by default, PHP `/` as `\/`). A real ws server echoes what it received (request.url) in its
 * close reason; status, events, errors and the inspector's records must hold none of it.
 */
import { describe, expect, it } from 'vitest';
import { createInspector } from '../../src/inspector/index.js';
import { redactUrl } from '../../src/util/redact.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BARE, ENCODED, SECRET_FORMS as FORMS, RAW_TOKEN, SESSION } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

describe('integration: query values in the form they were written stay hidden', () => {
  const h = useHarness();

  it('redactUrl shows a bare query token as [redacted], never as a key, and no path parameter', () => {
    expect(redactUrl(`wss://h.example/a;jsessionid=${SESSION}/token=${BARE}/b`)).toBe(
      'wss://h.example/a;jsessionid=[redacted]/token=[redacted]/b',
    );
    expect(redactUrl(`wss://h.example/feed?${BARE}`)).toBe('wss://h.example/feed?[redacted]');
    expect(redactUrl(`wss://h.example/feed?a=1&${BARE}&token=x`)).toBe(
      'wss://h.example/feed?a=[redacted]&[redacted]&token=[redacted]',
    );
  });

  it('a server echoing the raw query (raw, bare, encoded once more, JSON with \\u and \\/ escapes) in close reasons', async () => {
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const query = (request.url ?? '').split('?')[1] ?? '';
        const parts = query.split('&');
        const values = parts.map((part) => part.split(/=(.*)/s)[1] ?? part);
        const echoes = [
          `bad ${values.join(' ')}`,
          `quoted ${encodeURIComponent(values.join(' '))}`,
          `query ${query}`,
          `path ${(request.url ?? '').split('?')[0]}`,
          JSON.stringify({ error: `rejected ${values[0]}` }).replace(/\+/g, '\\u002B'),
          // PHP's json_encode writes `/` as `\/`.
          JSON.stringify({ error: `rejected ${values[0]}` }).replace(/\//g, '\\/'),
        ];
        ws.close(4001, (echoes[served++ % echoes.length] ?? '').slice(0, 123));
      },
    });
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
    const url = `ws://127.0.0.1:${server.port}/feed;jsessionid=${SESSION}?token=${RAW_TOKEN}&${BARE}&sig=${ENCODED}`;
    const link = supervisor.connect(url, { id: 'raw' });
    const events = recordEvents(link);
    const statuses: string[] = [];
    link.on('state', () => statuses.push(textOf(link.status())));
    await waitFor(() => events.count('reconnecting') >= 7, {
      message: 'seven reconnects',
      timeoutMs: 10_000,
    });

    const reasons = events.of<{ reason: { message: string } }>('reconnecting').map((r) => r.reason.message);
    // The server really echoed it: the scan is not vacuous.
    expect(reasons.some((reason) => reason.includes('[redacted]'))).toBe(true);
    const texts = [
      // As given (textOf's JSON would double a backslash of `\u002B`), and as JSON.
      ...reasons,
      String(link.status().lastError?.message),
      textOf(supervisor.status()),
      textOf(link.status()),
      ...statuses,
      ...events.events.map((e) => `${e.type} ${textOf(e.payload)}`),
      textOf(inspector.records()),
      textOf(inspector.actors()),
    ];
    const found = FORMS.flatMap((form) =>
      texts.filter((text) => text.includes(form)).map((text) => `${form} in ${text.slice(0, 300)}`),
    );
    expect(found).toEqual([]);
    expect(link.status().url).toBe(
      `ws://127.0.0.1:${server.port}/feed;jsessionid=[redacted]?token=[redacted]&[redacted]&sig=[redacted]`,
    );
    inspector.dispose();
  });
});
