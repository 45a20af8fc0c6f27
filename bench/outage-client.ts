/**
 * The heap of resumable sessions under a long outage (bench/resume-outage.ts runs it with
 * --expose-gc): a link and its `linkvisor/server` session in this process, on 127.0.0.1; the link
 * loses its server and each side keeps sending while it is away. The client's sends go to its
 * outbound queue (bounded, drop-oldest) and its replay buffer; the server's to the session's
 * replay buffer until it overflows and the session ends. The heap over the baseline (before the
 * outage) is measured after 1×, 10× and 100× the bound was sent.
 *   → { type: 'result', bound, messageBytes, client: Row[], server: Row[] }
 */
import { WebSocketServer } from 'ws';
import { createSupervisor } from '../src/index.js';
import { type ResumableSession, resumable } from '../src/server/index.js';
import { heap, requireGc, turn } from './heap.js';

requireGc('outage-client.ts');
const BOUND = Number(process.argv[2] ?? 1_000);
const MESSAGE_BYTES = 256;
const message = (side: string, i: number) => `${side}${i}:`.padEnd(MESSAGE_BYTES, 'x');

const listening = (wss: WebSocketServer) =>
  new Promise<number>((resolve) =>
    wss.on('listening', () => resolve((wss.address() as { port: number }).port)),
  );
const until = async (what: string, predicate: () => boolean) => {
  const deadline = Date.now() + 30_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`outage bench: no ${what} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
const port = await listening(wss);
const deadWss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const deadPort = await listening(deadWss);
await new Promise((resolve) => deadWss.close(resolve));

const big = 64 * 1024 * 1024;
const server = resumable(wss, { maxMessages: BOUND, maxBytes: big });
const sessions: ResumableSession[] = [];
server.on('session', (s) => sessions.push(s));
let url = `ws://127.0.0.1:${port}/`;
const supervisor = createSupervisor({
  backoff: { initialDelayMs: 50, maxDelayMs: 200, jitter: 'none' },
  heartbeat: false,
});
const link = supervisor.connect(() => url, {
  resume: { maxMessages: BOUND, maxBytes: big },
  queue: { maxMessages: BOUND, maxBytes: big, overflow: 'drop-oldest' },
});
let clientDropped = 0;
link.on('dropped', () => clientDropped++);
await link.ready();
await until('session', () => sessions.length === 1);
const session = sessions[0] as ResumableSession;
let serverDropped = 0;
session.on('dropped', () => serverDropped++);

// The outage: the socket dies, the server cannot be reached.
url = `ws://127.0.0.1:${deadPort}/`;
for (const ws of wss.clients) ws.terminate();
await until('the outage', () => link.state !== 'ready' && !session.connected);
const baseline = await heap();

interface Row {
  sentTimesBound: number;
  held: number;
  reported: number;
  heapOverBaselineBytes: number;
}
const client: Row[] = [];
let sent = 0;
for (const times of [1, 10, 100]) {
  while (sent < times * BOUND) link.send(message('c', sent++));
  await turn();
  const status = link.status();
  client.push({
    sentTimesBound: times,
    held: status.queue.messages + (status.resume?.buffered.messages ?? 0),
    reported: clientDropped,
    heapOverBaselineBytes: (await heap()) - baseline,
  });
}

const serverRows: Row[] = [];
const serverBaseline = await heap();
let serverSent = 0;
for (const times of [1, 10]) {
  while (serverSent < times * BOUND) {
    serverSent++;
    if (session.ended) continue; // an ended session refuses sends (LV_ERR_LINK_CLOSED)
    session.send(message('s', serverSent));
  }
  serverRows.push({
    sentTimesBound: times,
    held: session.status().buffered.messages,
    reported: serverDropped,
    heapOverBaselineBytes: (await heap()) - serverBaseline,
  });
}

await supervisor.close();
await server.close();
await new Promise((resolve) => wss.close(resolve));
process.send?.({ type: 'result', bound: BOUND, messageBytes: MESSAGE_BYTES, client, server: serverRows });
process.disconnect?.();
