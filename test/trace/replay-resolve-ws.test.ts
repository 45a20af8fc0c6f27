/**
 * Per-attempt functions that fail, over a real `ws` server on 127.0.0.1 (round 43): the `url`
 * function throws on one attempt (quoting the token it handed out before, raw and in base64, and a
 * fresh `token=…` it never did), the `protocols` function returns a bad value on another, the
 * `headers` function throws on a third; then the link connects and the server ends it (1008).
 * Recorded, the trace holds each failed attempt as its transport.closed with the LV_ERR code and
 * none of the secrets in any encoding; replayed (memory network, simulated clock), identical:
 * before round 43 the replay resolved every attempt and diverged at the first failure.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

const URL_TOKEN = 'tok/5a4b3c2d1e0f:qx';
const HEADER_TOKEN = 'hdr.11aa22bb33cc';
const FRESH_TOKEN = 'fresh0123456789abcdef';

describe('integration: failing per-attempt functions over real ws replay identical', () => {
  const h = useHarness();

  it('url throws, protocols bad, headers throws, then a fatal close: no secret, replay identical', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        // The first connection restarts (1012), the second (after three failed resolves) is fatal.
        const n = ++connections;
        setTimeout(() => ws.close(n === 1 ? 1012 : 1008, n === 1 ? 'restart' : 'policy'), 30);
      },
    });
    const supervisor = h.supervisor({ ...FAST, seed: 3 });
    const recorder = recordSession(supervisor);
    let attempt = 0;
    const base64 = Buffer.from(URL_TOKEN).toString('base64');
    const link = supervisor.connect(
      () => {
        attempt++;
        if (attempt === 2)
          throw new Error(`refresh of ${URL_TOKEN} (${base64}) failed; issued token=${FRESH_TOKEN}`);
        return `${server.url}/feed?token=${encodeURIComponent(URL_TOKEN)}`;
      },
      {
        id: 'feed',
        protocols: () => (attempt === 3 ? ['not a token'] : ['v1']),
        headers: () => {
          if (attempt === 4) throw new Error(`no credentials: Bearer ${HEADER_TOKEN}`);
          return { Authorization: `Bearer ${HEADER_TOKEN}` };
        },
      },
    );
    await waitFor(() => link.state === 'failed', { timeoutMs: 10_000, message: 'the link failed (1008)' });
    const text = formatTrace(recorder.stop());
    const trace = parseTrace(text);

    const codes = trace.records.flatMap((r) =>
      r.kind === 'event' && r.event.type === 'transport.closed'
        ? [
            String(
              (r.event.reason as { errorCode?: unknown; code?: unknown }).errorCode ??
                (r.event.reason as { code?: unknown }).code,
            ),
          ]
        : [],
    );
    expect(codes).toEqual(['1012', 'LV_ERR_RESOLVE', 'LV_ERR_RESOLVE', 'LV_ERR_RESOLVE', '1008']);
    expect(text).toContain('url() threw or rejected');
    expect(text).toContain('headers() threw or rejected');
    for (const secret of [URL_TOKEN, HEADER_TOKEN]) {
      for (const form of encodedForms(secret))
        expect(text, `a form of a secret: ${form}`).not.toContain(form);
    }
    expect(text).not.toContain(FRESH_TOKEN);

    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical: \d+ steps of \d+ actors$/);
    const replayedText = formatTrace(result.replayed);
    for (const secret of [URL_TOKEN, HEADER_TOKEN, FRESH_TOKEN]) expect(replayedText).not.toContain(secret);
  });
});
