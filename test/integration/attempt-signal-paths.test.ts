/**
 * The attempt signal's LV_ERR_ABORTED reason (src/runtime/attempt-abort.ts, a link feature) on
 * every way a link that hands the user a signal is made, beyond `supervisor.connect()`
 * (./attempt-signal-reason.test.ts): a defineLink machine a user's machine invokes, connectGroup
 * members (a one-for-all restart supersedes a ready sibling's attempt), a resume link (its
 * `resuming` runs out), a per-attempt `headers` function, and a link `useLink` made (its URL
 * function forwarded to the latest render's). A link without the feature would abort with the
 * platform's bare AbortError. Real ws servers on 127.0.0.1 port 0; nothing left open (the harness).
 */
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor, setup } from 'xstate';
import type { AttemptInfo } from '../../src/index.js';
import { defineLink, LinkvisorError } from '../../src/index.js';
import { LinkvisorProvider, useLink } from '../../src/react/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** Resolves with `signal`'s reason once it aborts. */
function reasonOf(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}

function expectReason(reason: unknown, why: string, attempt: number): void {
  expect(reason).toBeInstanceOf(LinkvisorError);
  expect({ code: (reason as LinkvisorError).code, message: (reason as LinkvisorError).message }).toEqual({
    code: 'LV_ERR_ABORTED',
    message: `attempt ${attempt} aborted: ${why}`,
  });
}

/** A URL function that never answers; the signals it was given, in order. */
function pendingUrl() {
  const signals: AbortSignal[] = [];
  const fn = ({ signal }: AttemptInfo) => {
    signals.push(signal);
    return new Promise<string>(() => {});
  };
  return { fn, signals };
}

describe('integration: the attempt signal reason on every way a link is made', () => {
  const h = useHarness();

  it('a defineLink machine invoked by a user machine: timed out, then the link closed (the parent stops)', async () => {
    const url = pendingUrl();
    const feed = defineLink(url.fn, { heartbeat: false, resolveTimeoutMs: 50, backoff: FAST.backoff });
    const app = setup({ actors: { feed: feed.machine } }).createMachine({
      invoke: { src: 'feed', input: () => feed.input({ id: 'composed' }) },
    });
    const actor = createActor(app).start();
    h.defer(() => actor.stop());
    await waitFor(() => url.signals.length >= 2, { message: 'a second attempt after the resolve timeout' });
    expectReason(await reasonOf(url.signals[0] as AbortSignal), 'the attempt timed out', 0);
    actor.stop();
    expectReason(
      await reasonOf(url.signals.at(-1) as AbortSignal),
      'the link closed',
      url.signals.length - 1,
    );
  });

  it('connectGroup, one-for-all: a lost member restarts its ready sibling ("a newer attempt superseded it")', async () => {
    const byPath = new Map<string, WebSocket>();
    const server = await h.wsServer({ onConnection: (ws, request) => byPath.set(request.url ?? '', ws) });
    const signals: AbortSignal[][] = [[], []];
    const member =
      (i: number) =>
      async ({ signal }: AttemptInfo) => {
        signals[i]?.push(signal);
        return `${server.url}/m${i}`;
      };
    const group = h
      .supervisor({ ...FAST, networkSignals: false })
      .connectGroup([member(0), member(1)], { id: 'pair', strategy: 'one-for-all' });
    await waitFor(() => group.links.every((link) => link.state === 'ready'), { message: 'both ready' });
    const lost = reasonOf(signals[0]?.[0] as AbortSignal);
    const sibling = reasonOf(signals[1]?.[0] as AbortSignal);
    byPath.get('/m0')?.terminate();
    expectReason(await lost, 'the socket closed', 0);
    expectReason(await sibling, 'a newer attempt superseded it', 0);
    await group.close();
  });

  it('a resume link whose resuming runs out (the server never answers the hello): "the attempt timed out"', async () => {
    const server = await h.wsServer();
    const signals: AbortSignal[] = [];
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(
      ({ signal }: AttemptInfo) => {
        signals.push(signal);
        return server.url;
      },
      { resume: { resumeTimeoutMs: 100 } },
    );
    await waitFor(() => signals.length >= 1, { message: 'the url function called' });
    expectReason(await reasonOf(signals[0] as AbortSignal), 'the attempt timed out', 0);
    await link.close();
  });

  it('a per-attempt headers function: "the link closed"', async () => {
    const server = await h.wsServer();
    const signals: AbortSignal[] = [];
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, {
      headers: ({ signal }: AttemptInfo) => {
        signals.push(signal);
        return new Promise<Record<string, string>>(() => {});
      },
    });
    await waitFor(() => signals.length === 1, { message: 'the headers function called' });
    await link.close();
    expectReason(await reasonOf(signals[0] as AbortSignal), 'the link closed', 0);
  });

  it('a link useLink made (server render, connected by hand): "the link closed"', async () => {
    const url = pendingUrl();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    function Feed(): ReactNode {
      return useLink(url.fn, { id: 'hooked' }).state;
    }
    expect(renderToString(createElement(LinkvisorProvider, { supervisor }, createElement(Feed)))).toBe(
      'idle',
    );
    const link = supervisor.get('hooked');
    expect(link).toBeDefined();
    link?.connect();
    await waitFor(() => url.signals.length === 1, { message: 'the url function called' });
    await link?.close();
    expectReason(await reasonOf(url.signals[0] as AbortSignal), 'the link closed', 0);
  });
});
