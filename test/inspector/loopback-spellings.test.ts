/**
 * `host` in the spellings a user may give for loopback. Each one that is loopback binds, prints no
 * warning, prints a URL a client opens (the server answers it, its `Host` and a WebSocket upgrade
 * from its origin pass the guard): 127.0.0.2 (all of 127.0.0.0/8 is loopback; it warned as if
 * exposed), LOCALHOST (a name, in any case), ::ffff:127.0.0.1 (IPv4-mapped: it warned, and printed
 * `[::ffff:7f00:1]`; now `127.0.0.1`, the address it is), 127.1 and other IPv4 spellings URLs read
 * (refused; now the address they name, as browsers and Node read it). A zone id (`fe80::1%lo`)
 * is refused with the reason: no browser opens a URL with one.
 */
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { statusOf, upgradeStatus, wsUrlOf } from './page-client.js';

const h = useHarness();

/** Whether this machine can bind `address` (127.0.0.2 is not configured on every system). */
function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, address, () => probe.close(() => resolve(true)));
  });
}

describe('startInspector: loopback in any spelling', () => {
  it.each([
    ['127.0.0.2', '127.0.0.2', '127.0.0.2'],
    ['LOCALHOST', 'localhost', undefined],
    ['::ffff:127.0.0.1', '::ffff:7f00:1', '127.0.0.1'],
    ['[::FFFF:127.0.0.1]', '::ffff:7f00:1', '127.0.0.1'],
    ['127.1', '127.0.0.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1', '127.0.0.1'],
  ])(
    '%s: binds %s, no warning, its URL (host %s) opens the page and its socket',
    async (given, host, urlHost) => {
      if (!(await canBind(host === 'localhost' ? '127.0.0.1' : host))) return;
      const warnings: string[] = [];
      const server = await startInspector(h.supervisor(FAST), { host: given, warn: (m) => warnings.push(m) });
      h.defer(() => server.close());
      expect(warnings).toEqual([]);
      expect(server.host).toBe(host);
      const url = new URL(server.url);
      if (urlHost) expect(url.hostname).toBe(urlHost);
      expect(await statusOf(server.url)).toBe(200);
      expect(await upgradeStatus(wsUrlOf(server.url), { Origin: url.origin })).toBe(101);
    },
  );

  it('127.0.0.2: Host naming it passes the guard, another loopback address does not', async () => {
    if (!(await canBind('127.0.0.2'))) return;
    const server = await startInspector(h.supervisor(FAST), { host: '127.0.0.2', warn: () => {} });
    h.defer(() => server.close());
    // Through the bound address, as a browser would (rawStatusLine dials 127.0.0.1).
    expect(await statusOf(server.url, { Host: `127.0.0.3:${server.port}` })).toBe(403);
    expect(await statusOf(server.url, { Host: `127.0.0.2:${server.port}` })).toBe(200);
  });

  it("a name of this machine's that resolves to loopback (hostname, in /etc/hosts) binds with no warning", async () => {
    const name = hostname();
    const { address } = await lookup(name).catch(() => ({ address: '' }));
    if (!address.startsWith('127.') || !/^[a-z0-9-]+$/i.test(name)) return;
    const warnings: string[] = [];
    const server = await startInspector(h.supervisor(FAST), { host: name, warn: (m) => warnings.push(m) });
    h.defer(() => server.close());
    expect(warnings).toEqual([]);
    expect(await statusOf(server.url)).toBe(200);
  });

  it('::ffff:0.0.0.0 is a wildcard: it warns and prints 127.0.0.1', async () => {
    if (!(await canBind('::ffff:0.0.0.0'))) return;
    const warnings: string[] = [];
    const server = await startInspector(h.supervisor(FAST), {
      host: '::ffff:0.0.0.0',
      warn: (m) => warnings.push(m),
    });
    h.defer(() => server.close());
    expect(warnings.join('\n')).toContain('reachable from other machines');
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(await statusOf(server.url)).toBe(200);
  });

  it.each(['fe80::1%lo', '[fe80::1%lo]', '::1%1', 'fe80::1%25eth0'])(
    '%s (a zone id): LV_ERR_INVALID_OPTION naming host, saying why',
    async (host) => {
      await expect(startInspector(h.supervisor(FAST), { host })).rejects.toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'host',
        message: expect.stringContaining('zone id'),
      });
    },
  );
});
