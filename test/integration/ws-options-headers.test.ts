/**
 * The headers ws sends for a link: `headers` (the link's), `wsOptions.headers` (ws's own), both
 * (the link's win a name both give) or neither, given as values or as functions, on every attempt;
 * and the objects the application gave are never changed, frozen and shared by links included
 * (src/transports/ws-transport.ts builds ws's options of each attempt, merging headers only when
 * there are some). Real ws server on 127.0.0.1.
 */

import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';

/** The request headers of every upgrade, by path. */
async function headerServer(h: ReturnType<typeof useHarness>) {
  const seen = new Map<string, http.IncomingHttpHeaders[]>();
  const server = await h.wsServer({
    onConnection: (_ws, request) => {
      const list = seen.get(request.url ?? '') ?? [];
      list.push(request.headers);
      seen.set(request.url ?? '', list);
    },
  });
  return { server, seen };
}

/** Every link's second attempt: the server restarts each socket, and each path is seen twice and
 * every link is ready again. */
async function secondAttempts(
  server: Awaited<ReturnType<typeof headerServer>>['server'],
  seen: Map<string, http.IncomingHttpHeaders[]>,
  links: { ready(): Promise<void> }[],
): Promise<void> {
  for (const client of server.clients) client.close(1012, 'restart');
  await expect
    .poll(() => [...seen.values()].every((list) => list.length === 2), { timeout: 10_000 })
    .toBe(true);
  await Promise.all(links.map((link) => link.ready()));
}

/** The custom headers of a request (x-*, cookie, authorization). */
function custom(headers: http.IncomingHttpHeaders | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.startsWith('x-') || name === 'cookie' || name === 'authorization') out[name] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('ws headers of a link', () => {
  const h = useHarness();

  it('neither, headers, wsOptions.headers, both (the link’s win), as values or functions, on every attempt', async () => {
    const { server, seen } = await headerServer(h);
    const supervisor = h.supervisor(FAST);
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['/none', {}, {}],
      ['/empty', { headers: {}, wsOptions: {} }, {}],
      ['/link', { headers: { 'X-A': 'a' } }, { 'x-a': 'a' }],
      ['/ws', { wsOptions: { headers: { 'X-B': 'b' } } }, { 'x-b': 'b' }],
      [
        '/both',
        { headers: { 'X-A': 'link' }, wsOptions: { headers: { 'x-a': 'ws', 'X-B': 'b' } } },
        { 'x-a': 'link', 'x-b': 'b' },
      ],
      ['/fn-empty', { headers: () => ({}), wsOptions: async () => ({ perMessageDeflate: false }) }, {}],
      [
        '/fn-both',
        { headers: async () => ({ 'X-A': 'link' }), wsOptions: () => ({ headers: { 'X-B': 'b' } }) },
        { 'x-a': 'link', 'x-b': 'b' },
      ],
      ['/ws-undefined', { headers: {}, wsOptions: { headers: undefined } }, {}],
    ];
    const links = cases.map(([path, options]) =>
      supervisor.connect(`${server.url}${path}`, { id: path.slice(1), ...options }),
    );
    await Promise.all(links.map((link) => link.ready()));
    // A second attempt of each: the same headers again.
    await secondAttempts(server, seen, links);
    for (const [path, , expected] of cases) {
      expect(seen.get(path)?.map(custom), path).toEqual([expected, expected]);
    }
  });

  it('frozen options shared by links are read, never changed (nor ws’s copies of them)', async () => {
    const { server, seen } = await headerServer(h);
    const supervisor = h.supervisor(FAST);
    const headers = deepFreeze({ 'X-A': 'a' });
    const wsOptions = deepFreeze({ headers: { 'X-B': 'b', Cookie: 'sid=1' }, perMessageDeflate: false });
    const bare = deepFreeze({ perMessageDeflate: false });
    const before = JSON.stringify({ headers, wsOptions, bare });
    const links = [
      supervisor.connect(`${server.url}/one`, { id: 'one', headers, wsOptions }),
      supervisor.connect(`${server.url}/two`, { id: 'two', headers, wsOptions }),
      supervisor.connect(`${server.url}/three`, { id: 'three', wsOptions }),
      supervisor.connect(`${server.url}/four`, { id: 'four', wsOptions: bare }),
    ];
    await Promise.all(links.map((link) => link.ready()));
    await secondAttempts(server, seen, links);
    expect(JSON.stringify({ headers, wsOptions, bare })).toBe(before);
    expect(Object.keys(wsOptions)).toEqual(['headers', 'perMessageDeflate']);
    expect(Object.keys(bare)).toEqual(['perMessageDeflate']);
    const both = { 'x-a': 'a', 'x-b': 'b', cookie: 'sid=1' };
    expect(seen.get('/one')?.map(custom)).toEqual([both, both]);
    expect(seen.get('/two')?.map(custom)).toEqual([both, both]);
    expect(seen.get('/three')?.map(custom)).toEqual([
      { 'x-b': 'b', cookie: 'sid=1' },
      { 'x-b': 'b', cookie: 'sid=1' },
    ]);
    expect(seen.get('/four')?.map(custom)).toEqual([{}, {}]);
  });
});
