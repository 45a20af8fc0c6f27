/**
 * `linkvisor serve` logs each connection's request target with its query values redacted, but a
 * credential elsewhere in it was logged as it came: the user info of an absolute-form target (what a
 * client sends a server it takes for a proxy), a bare token as the whole query (`?eyJ…`, a JWT), a
 * `token=…` in the path. Now the target is scrubbed as free text is. The real binary; upgrade
 * requests written on a raw TCP socket, as such a client writes them.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

const SECRET = 'pw1s3cr3tXYZ';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz';
/** JWEs in the path (5 parts; `dir`'s empty key): before, the first's ciphertext and tag were
 * logged after `[redacted]`, the second whole. */
const CIPHERTEXT = '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TAL';
const JWE = `eyJhbGciOiJSU0EtT0FFUCJ9.OKOawDo13gRp2ojaHV7LFpZc.48V1_ALb6US04U3b.${CIPHERTEXT}.XFBoMYUZodetZdvTiFvSkQ`;
const JWE_DIR = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..48V1_ALb6US04U3b.${CIPHERTEXT}.XFBoMYUZodetZdvTiFvSkQ`;

/** Writes a WebSocket upgrade request for `target` and waits for the server's answer. */
function upgrade(port: number, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('cli: linkvisor serve keeps every credential of a request target out of its log', () => {
  const h = useHarness();

  it('user info of an absolute-form target, a bare JWT query, token= in the path: [redacted]', async () => {
    const serve = startCli(h, ['serve']);
    const [, port] = (await serve.waitFor('stdout', /^ws:\/\/127\.0\.0\.1:(\d+)\n/)) as string[];
    const targets = [
      `http://alice:${SECRET}@127.0.0.1/feed`,
      `/feed?${JWT}`,
      `/feed/token=${SECRET}`,
      `/socket/${JWE}`,
      `/socket/${JWE_DIR}?x=1`,
    ];
    for (const [i, target] of targets.entries()) {
      await upgrade(Number(port), target);
      await serve.waitFor('stderr', new RegExp(`\\* connection ${i + 1} closed`));
    }
    serve.proc.kill('SIGINT');
    expect(await exitCode(serve), serve.stderr).toBe(0);
    expect(serve.stderr).toMatch(
      /connection 1 from .*\(http:\/\/\[redacted\]:\[redacted\]@127\.0\.0\.1\/feed\)/,
    );
    expect(serve.stderr).toMatch(/connection 2 from .*\(\/feed\?\[redacted\]\)/);
    expect(serve.stderr).toMatch(/connection 3 from .*\(\/feed\/token=\[redacted\]\)/);
    expect(serve.stderr).toMatch(/connection 4 from .*\(\/socket\/\[redacted\]\)/);
    expect(serve.stderr).toMatch(/connection 5 from .*\(\/socket\/\[redacted\]\?x=\[redacted\]\)/);
    expect(serve.stderr).not.toContain(CIPHERTEXT);
    expect(serve.stderr).not.toContain(SECRET);
    expect(serve.stderr).not.toContain('eyJ');
  });
});
