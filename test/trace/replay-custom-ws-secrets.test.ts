/**
 * Round 43 review, over real `ws` on 127.0.0.1: a custom transport that is not in-process (wrapping
 * `wsTransport`) fails a link's first attempt inside `connect()` with a reason of its own that
 * quotes the URL; and per-attempt functions that fail quoting their tokens in every encoding. The
 * traces hold no secret in any form, the replays are identical and carry nothing the recording
 * did not: the replayed reasons are the recorded ones (the function that failed named as recorded).
 */
import { describe, expect, it } from 'vitest';
import { type Transport, wsTransport } from '../../src/index.js';
import { replayTrace } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace, type Trace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

const URL_TOKEN = 'tok/5a4b3c2d1e0f:qx';
const HEADER_TOKEN = 'hdr.11aa22bb33cc+/=';
const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;

const closes = (trace: Trace) =>
  trace.records.flatMap((r) =>
    r.kind === 'event' && r.event.type === 'transport.closed' ? [r.event.reason] : [],
  );

describe('integration: custom ws transport and failing functions, replayed', () => {
  const h = useHarness();

  it('a ws-based custom transport’s own refusal inside connect() replays identical, with the recorded reason only', async () => {
    const server = await h.wsServer({ onConnection: (ws) => setTimeout(() => ws.close(1008, 'policy'), 30) });
    let attempts = 0;
    const custom: Transport = {
      ...wsTransport,
      name: 'quota',
      connect(target, handlers, context) {
        if (attempts++ >= 1) return wsTransport.connect(target, handlers, context);
        handlers.closed({
          kind: 'quota',
          message: `over quota for ${target.url}`,
          detail: { url: target.url },
        } as never);
        return {
          send: () => false,
          ping: () => false,
          close() {},
          terminate() {},
          buffered: () => 0,
        } as never;
      },
    };
    const supervisor = h.supervisor({ ...FAST, seed: 3, transport: custom });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(`${server.url}/x?token=${encodeURIComponent(URL_TOKEN)}`, { id: 'a' });
    supervisor.connect(`${server.url}/y`, { id: 'b' });
    await waitFor(() => link.state === 'failed', { timeoutMs: 10_000, message: 'link a failed (1008)' });
    const text = formatTrace(recorder.stop());
    expect(text).toContain('"kind":"quota"');
    for (const form of encodedForms(URL_TOKEN)) expect(text, form).not.toContain(form);
    const trace = parseTrace(text);
    const result = await replayTrace(trace);
    expect(result.message).toMatch(IDENTICAL);
    expect(closes(result.replayed)).toEqual(closes(trace));
  });

  it('functions failing with their tokens quoted in every encoding: no form in either trace', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        const n = ++connections;
        setTimeout(() => ws.close(n === 1 ? 1012 : 1008, 'x'), 30);
      },
    });
    const supervisor = h.supervisor({ ...FAST, seed: 3 });
    const recorder = recordSession(supervisor);
    let attempt = 0;
    const quoted = (secret: string) => encodedForms(secret).join(' | ');
    const link = supervisor.connect(
      () => {
        attempt++;
        if (attempt === 2) throw new Error(`refresh failed: ${quoted(URL_TOKEN)}`);
        return `${server.url}/feed?token=${encodeURIComponent(URL_TOKEN)}`;
      },
      {
        id: 'feed',
        headers: () =>
          attempt === 3
            ? Promise.reject(new Error(`no credentials: ${quoted(HEADER_TOKEN)}`))
            : { Authorization: `Bearer ${HEADER_TOKEN}` },
      },
    );
    await waitFor(() => link.state === 'failed', { timeoutMs: 10_000, message: 'the link failed (1008)' });
    const text = formatTrace(recorder.stop());
    expect(text).toContain('headers() threw or rejected');
    const result = await replayTrace(parseTrace(text));
    expect(result.message).toMatch(IDENTICAL);
    const replayed = formatTrace(result.replayed);
    for (const secret of [URL_TOKEN, HEADER_TOKEN])
      for (const form of encodedForms(secret)) {
        expect(text, form).not.toContain(form);
        expect(replayed, form).not.toContain(form);
      }
    expect(closes(result.replayed)).toEqual(closes(parseTrace(text)));
  });
});
