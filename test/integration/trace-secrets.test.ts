/**
 * Secrets never appear in a trace: a token in the URL, a bearer token in a header, and a server
 * that quotes both in its close reasons (raw, percent-encoded, base64 and base64url). The trace
 * file is grepped for every form. Round 25: also a query value as written (`a+b/c==`), a bare query
 * token, a path parameter, a header named for a JWT and a subprotocol, each quoted by the server.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

const URL_TOKEN = 'tok/9f8e7d6c5b4a:zq';
const HEADER_TOKEN = 'hdr.77aa88bb99cc';

describe('integration: secrets in traces', () => {
  const h = useHarness();

  it('a planted URL token, header token and server close reasons never reach the trace file', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        const n = ++connections;
        // The server quotes the credentials back, in several encodings (at most 123 bytes).
        const [raw, encoded, base64] = encodedForms(n === 1 ? URL_TOKEN : HEADER_TOKEN);
        setTimeout(() => ws.close(n === 1 ? 4001 : 1008, `${raw} ${encoded} ${base64}`), 30);
      },
    });
    const supervisor = h.supervisor({ ...FAST, headers: { 'X-Api-Key': HEADER_TOKEN } });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(`${server.url}/feed?token=${encodeURIComponent(URL_TOKEN)}`, {
      headers: { Authorization: `Bearer ${HEADER_TOKEN}` },
    });
    await waitFor(() => link.state === 'failed', { timeoutMs: 10_000, message: 'the link failed (1008)' });
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-secrets-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'trace.jsonl');
    writeFileSync(file, formatTrace(recorder.stop()));

    const text = readFileSync(file, 'utf8');
    // The trace did record the closes and their (redacted) reasons.
    expect(text).toContain('"code":4001');
    expect(text).toContain('[redacted]');
    for (const secret of [URL_TOKEN, HEADER_TOKEN]) {
      for (const form of encodedForms(secret))
        expect(text, `a form of a secret: ${form}`).not.toContain(form);
    }
  });

  it('a raw query value, a bare query token, a path parameter, a JWT header and a subprotocol never reach it', async () => {
    const RAW = 'Zm9v+YmFy/cXV4LXNlY3JldA==';
    const BARE = 'k7QxV2pLm9sRt4Zw';
    const SESSION = 'F3A9C1D2E4B5A6F7';
    const ASSERTION = 'assertion4Kq9Zt2Wm';
    const PROTOCOL = 'sk_proto_trace9Qz';
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const echoes = [
          `u ${request.url}`,
          `j ${request.headers['x-jwt-assertion']}`,
          `p ${request.headers['sec-websocket-protocol']}`,
        ];
        ws.close(served < 3 ? 4001 : 1008, (echoes[served++ % 3] ?? '').slice(0, 123));
      },
    });
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(`${server.url}/f;jsessionid=${SESSION}?token=${RAW}&${BARE}`, {
      headers: { 'X-JWT-Assertion': ASSERTION },
      protocols: ['chat', PROTOCOL],
    });
    await waitFor(() => link.state === 'failed', { timeoutMs: 10_000, message: 'the link failed (1008)' });
    const text = formatTrace(recorder.stop());
    expect(text).toContain('[redacted]');
    const found = [RAW, BARE, SESSION, ASSERTION, PROTOCOL].filter((secret) => text.includes(secret));
    expect(found).toEqual([]);
  });
});
