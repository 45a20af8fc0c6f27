/**
 * linkvisor/react's renders that never commit, in Node (react-dom/server: no effect ever runs, as
 * for a render React throws away in the browser): the idle link such a render made leaves
 * `supervisor.list()` and `status()` by itself, one to two sweep periods (RESERVATION_SWEEP_MS,
 * 1 s) after the render, with no later hook call and no wait of 10 s; a streamed render that
 * suspends forever and is aborted leaves nothing either. test/browser/react-reservations.test.ts
 * does the same with React's transitions in Chromium.
 *
 * Before (round 39): such a link stayed idle in `supervisor.list()` until a hook call made 10 s or
 * more later (ORPHAN_AFTER_MS): with none, for good.
 */
import { PassThrough } from 'node:stream';
import { createElement, type ReactNode, Suspense } from 'react';
import { renderToPipeableStream, renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { LinkvisorProvider, useLink, useLinkState } from '../../src/react/index.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

let server: WsTestServer;

/** Two sweep periods, and generous slack for a busy machine (still well under 10 s). */
const GONE_WITHIN_MS = 2 * RESERVATION_SWEEP_MS + 3_000;

function Feed({ path }: { path: string }): ReactNode {
  const link = useLink(`${server.url}${path}`, { id: path.slice(1) });
  return `${link.id}:${useLinkState(link)}`;
}

const never = new Promise<never>(() => {});
function Forever(): ReactNode {
  throw never;
}

describe('linkvisor/react: renders that never commit leave no link', () => {
  let supervisor: Supervisor;
  beforeAll(async () => {
    server = await startWsServer();
    supervisor = createSupervisor();
  });
  afterAll(async () => {
    await supervisor.close();
    await server.stop();
  });
  const inProvider = (node: ReactNode) => createElement(LinkvisorProvider, { supervisor }, node);

  it('a render no commit follows: its idle link leaves list() and status() by itself, no hook call after it', async () => {
    const before = supervisor.list().length;
    expect(renderToString(inProvider(createElement(Feed, { path: '/once' })))).toBe('link:once:idle');
    expect(supervisor.list()).toHaveLength(before + 1);
    await waitFor(() => supervisor.list().length === before, {
      timeoutMs: GONE_WITHIN_MS,
      message: 'the render’s idle link gone from supervisor.list()',
    });
    expect(supervisor.status().links).toHaveLength(before);
    expect(server.upgrades).toBe(0);
  });

  it('a streamed render that suspends forever, then aborted: no link left', async () => {
    const before = supervisor.list().length;
    const page = createElement(
      Suspense,
      { fallback: 'loading' },
      createElement(Feed, { path: '/streamed' }),
      createElement(Forever),
    );
    const sink = new PassThrough();
    sink.resume();
    const stream = renderToPipeableStream(inProvider(page), {
      onShellReady: () => stream.pipe(sink),
      onError: () => {},
    });
    await waitFor(() => supervisor.list().length === before + 1, { timeoutMs: 5_000, message: 'rendered' });
    stream.abort();
    await waitFor(() => supervisor.list().length === before, {
      timeoutMs: GONE_WITHIN_MS,
      message: 'the aborted render’s idle link gone from supervisor.list()',
    });
    expect(server.upgrades).toBe(0);
  });

  it('its supervisor closed while the render’s link is held: the sweep that follows reports nothing', async () => {
    const own = createSupervisor();
    const errors: unknown[] = [];
    own.on('error', (error) => errors.push(error));
    const rejected: unknown[] = [];
    const onRejection = (reason: unknown) => rejected.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const html = renderToString(
        createElement(LinkvisorProvider, { supervisor: own }, createElement(Feed, { path: '/closing' })),
      );
      expect(html).toBe('link:closing:idle');
      await own.close();
      expect(own.list()).toEqual([]);
      // Past two sweep periods: the sweep closed the (already closed) link again, quietly.
      await new Promise((resolve) => setTimeout(resolve, 2 * RESERVATION_SWEEP_MS + 200));
      expect({ errors, rejected, list: own.list() }).toEqual({ errors: [], rejected: [], list: [] });
      expect(server.upgrades).toBe(0);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
