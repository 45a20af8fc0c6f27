/**
 * A paused defineLink link on its second socket, holding three messages (m0–m2) its first socket
 * had read when the server reset it (./pause-release-reentrant.test.ts,
 * ./pause-release-reconnect.test.ts); `dropped` reports are collected as `dropped:<reason>:<data>`.
 * Real `ws` server on loopback.
 */
import { expect } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor } from 'xstate';
import { defineLink, type Link } from '../../src/index.js';
import { FAST, type Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { sendAll } from './send-all.js';

export async function withKeptMessages(h: Harness) {
  const sockets: WebSocket[] = [];
  const server = await h.wsServer({ onConnection: (ws) => sockets.push(ws) });
  const feed = defineLink(server.url, { ...FAST, heartbeat: { intervalMs: 200, timeoutMs: 300 } });
  const actor = createActor(feed.machine, { input: feed.input() }).start();
  h.defer(() => actor.stop());
  const link: Link = feed.handle(actor);
  const events: string[] = [];
  link.on('dropped', ({ data, reason }) => events.push(`dropped:${reason}:${String(data)}`));
  await link.ready();
  expect(link.pause()).toBe(true);
  await sendAll(sockets[0], ['m0', 'm1', 'm2']);
  sockets[0]?.terminate();
  await waitFor(() => {
    if (link.state === 'ready' && sockets.length === 1) link.send('anyone there?');
    return sockets.length === 2 && link.state === 'ready';
  });
  expect(link.status().paused).toBe(true);
  return { actor, link, events, sockets };
}
