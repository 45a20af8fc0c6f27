/**
 * A session recorded by a page (`record`, then the trace it downloads): the link's token, in the
 * URL as given, percent-encoded, in a header and echoed back by the server in its close reason
 * (raw and percent-encoded), reaches neither the trace nor any frame the page got.
 */
import { describe, expect, it } from 'vitest';
import { createInspector, startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';

const h = useHarness();
const SECRET = 'REC-secret-7d7d+/=';
const PLAIN = 'REC-secret-7d7d';

describe('a page recording a session', () => {
  it('downloads a trace without the link secrets, in any of their encodings', async () => {
    const server = await h.wsServer({
      // A careless server echoes the request target (percent-encoded) in its close reason.
      onConnection: (ws, request) => setTimeout(() => ws.close(4001, String(request.url).slice(0, 100)), 30),
    });
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
    const inspectorServer = await startInspector(supervisor, { inspector, showPayloads: true });
    h.defer(() => inspectorServer.close());
    const page = await connectPage(inspectorServer.url);
    h.defer(() => page.close());
    await page.next('hello');
    page.send({ type: 'record', on: true });
    await page.next('recording');
    const link = supervisor.connect(`${server.url}/feed?token=${encodeURIComponent(SECRET)}&pass=${PLAIN}`, {
      id: 'feed',
      headers: { Authorization: `Bearer ${PLAIN}`, 'X-Pass': PLAIN },
    });
    await waitFor(() => link.status().readyCount >= 2, { message: 'two connections', timeoutMs: 30_000 });
    page.send({ type: 'record', on: false });
    const trace = await page.next('trace');
    expect(trace.text).toContain('4001');
    const everything = [trace.text, ...page.raw].join('\n');
    for (const form of [PLAIN, encodeURIComponent(SECRET), encodeURIComponent(PLAIN).replace(/-/g, '%2D')]) {
      expect(everything).not.toContain(form);
    }
    await link.close();
  });
});
