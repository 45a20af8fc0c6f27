/**
 * Secrets never appear in a trace: a token in the URL, a bearer token in a header, and a server
 * that quotes both in its close reasons (raw, percent-encoded, base64 and base64url). The trace
 * file is grepped for every form.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const URL_TOKEN = 'tok/9f8e7d6c5b4a:zq';
const HEADER_TOKEN = 'hdr.77aa88bb99cc';

function forms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
  ];
}

describe('integration: secrets in traces', () => {
  const h = useHarness();

  it('a planted URL token, header token and server close reasons never reach the trace file', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        const n = ++connections;
        // The server quotes the credentials back, in several encodings (at most 123 bytes).
        const [raw, encoded, base64] = forms(n === 1 ? URL_TOKEN : HEADER_TOKEN);
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
      for (const form of forms(secret)) expect(text, `a form of a secret: ${form}`).not.toContain(form);
    }
  });
});
