import { describe, expect, it } from 'vitest';
import { createStatelyInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const h = useHarness();
const PROTO = 'protoSecretAbc123';
const HDR = 'hdrSecretXyz789';
const FN = 'fnHeaderSecret456';
const RAW = 'Zm9v+YmFy/cXV4LXNlY3JldA==';
const BARE = 'k7QxV2pLm9sRt4Zw';
describe('probe', () => {
  it('stately', async () => {
    const received: string[] = [];
    const recv = await h.wsServer({ onConnection: (ws) => ws.on('message', (d) => received.push(String(d))) });
    const stately = await createStatelyInspector({ url: recv.url });
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: stately.inspect });
    let n = 0;
    const ws = await h.wsServer({

      onConnection: (sock, req) => { if (n++ < 2) sock.close(4001, `echo ${req.url} ${req.headers['x-api-key']} ${req.headers['sec-websocket-protocol']}`.slice(0, 123)); },
    } as never);
    const link = supervisor.connect(`${ws.url}/feed?token=${RAW}&${BARE}`, {
      id: 'feed', protocols: ['chat', PROTO],
      headers: () => ({ 'X-Api-Key': FN, Authorization: `Bearer ${HDR}` }),
    } as never);
    await waitFor(() => n >= 3 && link.state === 'ready', { timeoutMs: 10000, message: 'ready' });
    await supervisor.close();
    await stately.stop();
    const all = received.join('\n');
    for (const s of [PROTO, HDR, FN, RAW, BARE, encodeURIComponent(RAW)]) {
      const i = all.indexOf(s);
      console.log(s, i < 0 ? 'absent' : all.slice(Math.max(0, i - 300), i + 50));
    }
    expect(all).toContain('[redacted]');
  });
});
