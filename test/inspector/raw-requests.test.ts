/**
 * Requests no browser sends, written byte for byte on a TCP socket: anyone on the machine can
 * send them, token or not. A request-target no URL parses (`GET http://[ HTTP/1.1`, which Node's
 * parser lets through) is refused like any request without the token (401), for a page and for
 * a WebSocket upgrade alike, and the server, and the application's process, carry on: the
 * upgrade's path was read before the guard's verdict, and the `URL` it threw was uncaught.
 */
import { describe, expect, it } from 'vitest';
import { startInspector } from '../../src/inspector/index.js';
import { useHarness } from '../helpers/harness.js';
import { statusOf } from './page-client.js';
import { rawStatusLine } from './raw-http.js';

const h = useHarness();

const UNPARSABLE = ['http://[', 'http://x:99999/', '//[', '//', '*', '/%zz', '/?token=%zz'];

describe('inspector server: request-targets no URL parses', () => {
  it('answers 401 to a page request and to an upgrade, and goes on serving', async () => {
    const server = await startInspector(h.supervisor());
    h.defer(() => server.close());
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    const upgrade =
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    for (const target of UNPARSABLE) {
      expect(
        await rawStatusLine(server.port, `GET ${target} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`),
      ).toMatch(/^HTTP\/1\.1 401 /);
      expect(
        await rawStatusLine(server.port, `GET ${target} HTTP/1.1\r\n${host}${upgrade}\r\n`),
        target,
      ).toMatch(/^HTTP\/1\.1 401 /);
    }
    expect(await statusOf(server.url)).toBe(200);
  });

  it('answers 403 to Host and Origin headers no URL parses, with the token, and goes on serving', async () => {
    const server = await startInspector(h.supervisor());
    h.defer(() => server.close());
    const target = `/ws${new URL(server.url).search}`;
    const upgrade =
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    const good = `Host: 127.0.0.1:${server.port}\r\n`;
    for (const headers of ['Host: [\r\n', 'Host: [::1\r\n', 'Host: %zz\r\n', `${good}Origin: http://[\r\n`]) {
      expect(
        await rawStatusLine(server.port, `GET ${target} HTTP/1.1\r\n${headers}${upgrade}\r\n`),
        headers,
      ).toMatch(/^HTTP\/1\.1 403 /);
    }
    expect(await statusOf(server.url)).toBe(200);
  });
});
