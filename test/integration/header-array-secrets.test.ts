/**
 * `wsOptions.headers` is Node's http headers, where a value may be a list (`Cookie: ['sid=…',
 * 'theme=…']`, which Node sends joined with `; `): each item is a value of its own. The list was
 * made one string (`sid=…,theme=…`) before its secrets were found, so a server quoting one cookie
 * (`unknown session <sid>`) got it into status and events.
 */
import { describe, expect, it } from 'vitest';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const SID = 'sidList4Hq8Zr2';
const THEME = 'themeList7Wc3';
const TOKEN = 'listTok9Pk2Vb6';

describe('integration: list values in wsOptions.headers', () => {
  const h = useHarness();

  it('each item of a Cookie list and of a secret header list is scrubbed where a server quotes it', async () => {
    const heard: string[] = [];
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        heard.push(`${request.headers.cookie} ${request.headers['x-api-key']}`);
        const quotes = [`unknown session ${SID} (expired)`, `bad key ${TOKEN} (revoked)`];
        ws.close(served < 1 ? 4001 : 1008, quotes[served++ % 2]);
      },
    });
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const link = supervisor.connect(`${server.url}/feed`, {
      wsOptions: { headers: { Cookie: [`sid=${SID}`, `theme=${THEME}`], 'X-Api-Key': ['v1', TOKEN] } },
    });
    const events = recordEvents(link);
    await waitFor(() => link.state === 'failed', { timeoutMs: 10_000, message: 'the link failed (1008)' });
    // The server did get them (Node joins a list).
    expect(heard[0]).toContain(SID);
    expect(heard[0]).toContain(TOKEN);
    const shown = `${JSON.stringify(link.status())}\n${textOf(events)}`;
    expect(shown).toContain('[redacted]');
    expect([SID, TOKEN].filter((secret) => shown.includes(secret))).toEqual([]);
  });
});
