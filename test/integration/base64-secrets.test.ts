/**
 * A server may quote a credential base64-encoded (a token echoed inside a base64 blob, a debug
 * header turned into a reason): base64 and base64url of a URL token or a header token, padded or
 * not. Traces scrubbed those (src/trace/trace-json.ts's traceSecrets) but a link's own redaction
 * did not, so status(), events and the inspector showed what a reader decodes in one step.
 */
import { describe, expect, it } from 'vitest';
import { createInspector } from '../../src/inspector/index.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const URL_TOKEN = 'urlTok?9f8e/7d6c';
const HEADER_TOKEN = 'hdrTok>5b4a~3z2y1';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');

describe('integration: secrets quoted base64-encoded', () => {
  const h = useHarness();

  it('base64 and base64url of a URL token and a header token never reach status, events or the inspector', async () => {
    const forms = [URL_TOKEN, HEADER_TOKEN].flatMap((secret) => [
      b64(secret),
      b64(secret).replace(/=+$/, ''),
      b64url(secret),
    ]);
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        const form = forms[served++ % forms.length] ?? '';
        ws.close(4001, `debug ${form}`);
      },
    });
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
    const link = supervisor.connect(
      `ws://127.0.0.1:${server.port}/feed?token=${encodeURIComponent(URL_TOKEN)}`,
      { id: 'b64', headers: { 'X-Api-Key': HEADER_TOKEN } },
    );
    const events = recordEvents(link);
    await waitFor(() => events.count('reconnecting') >= forms.length, {
      message: `${forms.length} reconnects`,
    });
    const reasons = events.of<{ reason: { message: string } }>('reconnecting').map((r) => r.reason.message);
    expect(reasons[0]).toBe('closed with code 4001: debug [redacted]');
    const texts = [
      ...reasons,
      textOf(supervisor.status()),
      ...events.events.map((e) => textOf(e.payload)),
      textOf(inspector.records()),
    ];
    const found = forms.flatMap((form) =>
      texts.filter((text) => text.includes(form)).map((text) => `${form} in ${text.slice(0, 160)}`),
    );
    expect(found).toEqual([]);
    inspector.dispose();
  });
});
