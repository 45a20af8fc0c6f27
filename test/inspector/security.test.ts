/**
 * The inspector server's security, each with a test: it binds to 127.0.0.1; no token → 401; a
 * `Host` that is not a loopback name with its port → 403 (DNS rebinding); a WebSocket upgrade
 * with a foreign `Origin` → 403 (cross-site WebSocket hijacking); the page reads but cannot send
 * events to actors unless `allowEvents`; any other bind address warns.
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createInspector, type InspectorServer, startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage, statusOf, upgradeStatus, wsUrlOf } from './page-client.js';

const h = useHarness();

async function setup(options: Parameters<typeof startInspector>[1] = {}) {
  const ws = await h.wsServer();
  const inspector = createInspector();
  const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
  const link = supervisor.connect(ws.url, { id: 'feed' });
  await link.ready();
  const server: InspectorServer = await startInspector(supervisor, { inspector, ...options });
  h.defer(() => server.close());
  const url = new URL(server.url);
  return { ws, supervisor, link, server, url, token: url.searchParams.get('token') ?? '' };
}

describe('inspector server security', () => {
  it('binds to 127.0.0.1 and puts a random per-run token in its URL', async () => {
    const { server, url, token } = await setup();
    const address = server.server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(url.hostname).toBe('127.0.0.1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await startInspector(h.supervisor(FAST));
    h.defer(() => other.close());
    expect(new URL(other.url).searchParams.get('token')).not.toBe(token);
  });

  it('answers 401 without the token (or with a wrong one), 200 with it', async () => {
    const { url, token } = await setup();
    const base = `http://127.0.0.1:${url.port}`;
    expect(await statusOf(`${base}/`)).toBe(401);
    expect(await statusOf(`${base}/client.js`)).toBe(401);
    expect(await statusOf(`${base}/?token=${'x'.repeat(token.length)}`)).toBe(401);
    expect(await statusOf(`${base}/?token=${token.slice(0, -1)}`)).toBe(401);
    expect(await statusOf(`${base}/?token=${token}`)).toBe(200);
    expect(await statusOf(`${base}/client.js?token=${token}`)).toBe(200);
    expect(await statusOf(`${base}/style.css?token=${token}`)).toBe(200);
    expect(await upgradeStatus(`ws://127.0.0.1:${url.port}/ws`)).toBe(401);
  });

  it('answers 403 to a Host other than localhost, 127.0.0.1 or [::1] with its port (DNS rebinding)', async () => {
    const { url, token } = await setup();
    const page = `http://127.0.0.1:${url.port}/?token=${token}`;
    expect(await statusOf(page, { Host: `evil.example:${url.port}` })).toBe(403);
    expect(await statusOf(page, { Host: 'evil.example' })).toBe(403);
    expect(await statusOf(page, { Host: `127.0.0.1:${Number(url.port) + 1}` })).toBe(403);
    expect(await statusOf(page, { Host: `127.0.0.1.evil.example:${url.port}` })).toBe(403);
    expect(await statusOf(page, { Host: `localhost:${url.port}` })).toBe(200);
    expect(await statusOf(page, { Host: `[::1]:${url.port}` })).toBe(200);
    expect(await upgradeStatus(wsUrlOf(page), { Host: `evil.example:${url.port}` })).toBe(403);
  });

  it('answers 403 to a WebSocket upgrade with a foreign Origin (cross-site WebSocket hijacking)', async () => {
    const { server, url } = await setup();
    const ws = wsUrlOf(server.url);
    expect(await upgradeStatus(ws, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(ws, { Origin: `http://evil.example:${url.port}` })).toBe(403);
    expect(await upgradeStatus(ws, { Origin: `https://127.0.0.1:${url.port}` })).toBe(403);
    expect(await upgradeStatus(ws, { Origin: 'null' })).toBe(403);
    expect(await upgradeStatus(ws, { Origin: `http://127.0.0.1:${url.port}` })).toBe(101);
    expect(await upgradeStatus(ws, { Origin: `http://localhost:${url.port}` })).toBe(101);
  });

  it('sends a strict Content-Security-Policy and no-store with the page', async () => {
    const { server } = await setup();
    const response = await fetch(server.url, { headers: { Connection: 'close' } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('is read-only by default: the page cannot send events to actors', async () => {
    const { server, link } = await setup();
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.server.allowEvents).toBe(false);
    expect(hello.server.commands).toEqual({});
    page.send({ type: 'send', actor: 'link:feed', event: { type: 'link.reconnect' } });
    page.send({ type: 'send', actor: 'link:feed', event: { type: 'link.close' } });
    const result = await page.next('result');
    expect(result.ok).toBe(false);
    await page.next('result');
    expect(link.state).toBe('ready');
    expect(link.status().readyCount).toBe(1);
  });

  it('with allowEvents, the page may send the listed commands, and only those', async () => {
    const { server, link } = await setup({ allowEvents: true });
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.server.commands.connection).toEqual(['link.reconnect', 'link.close']);
    page.send({ type: 'send', actor: 'link:feed', event: { type: 'transport.open' } });
    expect((await page.next('result')).ok).toBe(false);
    page.send({ type: 'send', actor: 'nobody', event: { type: 'link.reconnect' } });
    expect((await page.next('result')).ok).toBe(false);
    page.send({ type: 'send', actor: 'link:feed', event: { type: 'link.reconnect' } });
    expect((await page.next('result')).ok).toBe(true);
    await waitFor(() => link.status().readyCount === 2, { message: 'the link reconnected' });
  });

  it('binds elsewhere only when told, with a warning', async () => {
    const warn = vi.fn();
    // 127.0.0.2, which this used, is loopback and no longer warns (loopback-spellings.test.ts).
    const { server } = await setup({ host: '0.0.0.0', warn });
    expect((server.server.address() as AddressInfo).address).toBe('0.0.0.0');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/reachable from other machines/);
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(await statusOf(server.url)).toBe(200);
  });

  it('refuses a short token', async () => {
    await expect(startInspector(h.supervisor(FAST), { token: 'short' })).rejects.toThrow(/at least 16/);
  });
});
