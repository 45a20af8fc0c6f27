/**
 * `host`: the URL startInspector prints must reach the server it started. Bound to IPv6 loopback
 * (`::1`, or `[::1]` as a URL and `allowedHosts` write it) it printed `http://127.0.0.1:…`, where
 * nothing listens (connection refused); `[::1]` itself was handed to listen() as a name
 * (getaddrinfo ENOTFOUND, naming no option), as was a host with a port or a scheme, which is now
 * LV_ERR_INVALID_OPTION naming `host`. An IPv6 address is any of its spellings
 * (`0:0:0:0:0:0:0:1` is `::1`: it was refused as if it had a port), bound, printed and allowed in
 * `Host` as browsers write it (`[::1]`); the warning for a wildcard names `[::]:port`, not `:::port`.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { statusOf } from './page-client.js';
import { rawStatusLine } from './raw-http.js';

const h = useHarness();

/** Whether this machine can bind IPv6 loopback. */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

describe('startInspector: host', () => {
  it.each(['::1', '[::1]', '0:0:0:0:0:0:0:1', '[0:0:0:0:0:0:0:1]', '::0001'])(
    'bound to %s, its URL reaches it, with no warning',
    async (host) => {
      if (!(await ipv6Loopback())) return;
      const warnings: string[] = [];
      const server = await startInspector(h.supervisor(FAST), { host, warn: (m) => warnings.push(m) });
      h.defer(() => server.close());
      expect(server.host).toBe('::1');
      expect(new URL(server.url).hostname).toBe('[::1]');
      expect(await statusOf(server.url)).toBe(200);
      expect(warnings).toEqual([]);
    },
  );

  it('allowedHosts: an IPv6 address in any spelling accepts the Host browsers send for it', async () => {
    const server = await startInspector(h.supervisor(FAST), { allowedHosts: ['FD00:0:0:0:0:0:0:5'] });
    h.defer(() => server.close());
    const path = new URL(server.url).search;
    const answer = await rawStatusLine(
      server.port,
      `GET /${path} HTTP/1.1\r\nHost: [fd00::5]:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('bound to ::, the warning writes the address as a URL does', async () => {
    if (!(await ipv6Loopback())) return;
    const warnings: string[] = [];
    const server = await startInspector(h.supervisor(FAST), { host: '::', warn: (m) => warnings.push(m) });
    h.defer(() => server.close());
    expect(warnings.join('\n')).toContain(`listening on [::]:${server.port},`);
    expect(await statusOf(server.url)).toBe(200);
  });

  it.each([
    'localhost:8080',
    'http://127.0.0.1',
    '127.0.0.1/inspector',
    '127.0.0.1 ',
    '[::1]:8080',
    '[::1',
    '::1]',
    '1:2',
    '::1/128',
  ])('%j: LV_ERR_INVALID_OPTION naming host', async (host) => {
    await expect(startInspector(h.supervisor(FAST), { host })).rejects.toMatchObject({
      name: 'LinkvisorError',
      code: 'LV_ERR_INVALID_OPTION',
      option: 'host',
    });
  });
});
