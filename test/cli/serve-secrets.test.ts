/**
 * `linkvisor serve` logs each connection's path, never its query values: a client that carries its
 * token in the URL (`?token=…`, as browsers must) does not find it on the server's stderr.
 * The real binary, a real `ws` client.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

const TOKEN = 'SECRETTOKEN123';

describe('cli: linkvisor serve keeps query values out of its log', () => {
  const h = useHarness();

  it('a connection is logged with its path and its query values [redacted]', async () => {
    const serve = startCli(h, ['serve']);
    const [, url] = (await serve.waitFor('stdout', /^(ws:\/\/127\.0\.0\.1:\d+)\n/)) as string[];
    const ws = new WebSocket(`${url}/feed?token=${TOKEN}&room=${TOKEN}x`);
    h.defer(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await serve.waitFor('stderr', /\* connection 1 from 127\.0\.0\.1:\d+ \(.*\)\n/);
    ws.close();
    await serve.waitFor('stderr', /\* connection 1 closed/);
    serve.proc.kill('SIGINT');
    expect(await exitCode(serve), serve.stderr).toBe(0);
    expect(serve.stderr).toMatch(/\(\/feed\?token=\[redacted\]&room=\[redacted\]\)/);
    expect(serve.stderr).not.toContain(TOKEN);
  });
});
