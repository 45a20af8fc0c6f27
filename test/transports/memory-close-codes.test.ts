/**
 * The in-process network's close codes, side by side with a real `ws` 8 server on 127.0.0.1:0:
 * a close code (and reason) that `ws`'s `close(code, reason)` refuses — on the client or on the
 * server side — is refused by the memory network too (LV_ERR_INVALID_OPTION naming it), and one
 * ws sends is sent. Before, memory took 1004, 1005, 1006, 1015 and 1016–2999, and any reason
 * length, so a test on memory passed with a close that throws on ws (RFC 6455 §7.4). A fractional
 * code is the one difference: ws truncates it, memory refuses it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createMemoryNetwork } from '../../src/testing/index.js';
import type { MemoryPeer } from '../../src/transports/memory-transport.js';
import type { TransportConnection, TransportHandlers } from '../../src/transports/transport.js';
import { LinkvisorError } from '../../src/util/errors.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';

const CODES: unknown[] = [
  999,
  1000,
  1001,
  1002,
  1003,
  1004,
  1005,
  1006,
  1007,
  1011,
  1014,
  1015,
  1016,
  2000,
  2999,
  3000,
  4000,
  4999,
  5000,
  Number.NaN,
  '1000',
];
/** ws sends a fraction, truncated on the wire (1000.5 arrives as 1000): memory refuses it, the one
 * deliberate difference (the peer would see another code than the test named). */
const FRACTION = 1000.5;
const LONG_REASON = 'é'.repeat(62); // 124 bytes of UTF-8: one more than a close frame carries

type Outcome = 'sent' | 'refused';

/** Whether `close` threw; an error that is neither ws's nor an LV_ERR code fails the test. */
function outcomeOf(close: () => void, memory: boolean): Outcome {
  try {
    close();
    return 'sent';
  } catch (error) {
    if (memory) {
      expect(error).toBeInstanceOf(LinkvisorError);
      expect((error as LinkvisorError).code).toBe('LV_ERR_INVALID_OPTION');
    } else expect(error).toSatisfy((e) => e instanceof TypeError || e instanceof RangeError);
    return 'refused';
  }
}

let ws: WsTestServer | null = null;
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await ws?.stop();
  ws = null;
});

/** A fresh open pair on the real ws server: the client and the server's side of it. */
async function wsPair(server: WsTestServer): Promise<{ client: WebSocket; peer: WebSocket }> {
  const accepted = new Promise<WebSocket>((resolve) => server.wss.once('connection', resolve));
  const client = new WebSocket(server.url);
  client.on('error', () => {});
  clients.push(client);
  await new Promise((resolve) => client.once('open', resolve));
  return { client, peer: await accepted };
}

/** What ws does with close(code, reason) on each side: one pair per sent close (a refused one
 * leaves the socket open, so the next code tries on it). */
async function wsOutcomes(side: 'client' | 'peer', reason?: string): Promise<Outcome[]> {
  const server = ws as WsTestServer;
  const out: Outcome[] = [];
  let pair = await wsPair(server);
  for (const code of CODES) {
    const outcome = outcomeOf(() => pair[side].close(code as number, reason), false);
    out.push(outcome);
    if (outcome === 'sent') pair = await wsPair(server);
  }
  return out;
}

/** A memory connection, open, and the server's peer of it. */
function memoryPair(network: ReturnType<typeof createMemoryNetwork>, url: string) {
  const handlers: TransportHandlers = { open() {}, message() {}, pong() {}, closed() {} };
  const context = {
    clock: undefined,
    connectTimeoutMs: 1000,
    maxPayloadBytes: 1e6,
    redact: (t: string) => t,
  };
  const connection = network.transport.connect(
    { url, protocols: [], headers: {}, options: {} },
    handlers,
    context as never,
  ) as TransportConnection;
  const peers = network.server(url)?.peers as readonly MemoryPeer[];
  return { client: connection, peer: peers[peers.length - 1] as MemoryPeer };
}

describe('memory close codes match ws 8', () => {
  it('a client close(code): the same codes are sent and refused on ws and on memory', async () => {
    ws = await startWsServer();
    const network = createMemoryNetwork();
    network.listen('mem://codes');
    const memory = CODES.map((code) => {
      const { client } = memoryPair(network, 'mem://codes');
      const outcome = outcomeOf(() => client.close(code as number, ''), true);
      client.terminate();
      return outcome;
    });
    const real = await wsOutcomes('client');
    expect(memory).toEqual(real);
    expect(real.filter((o) => o === 'sent')).toHaveLength(10);
    const { client } = memoryPair(network, 'mem://codes');
    expect(outcomeOf(() => client.close(FRACTION, ''), true)).toBe('refused');
    client.terminate();
  });

  it('a fractional code: ws sends it truncated, memory refuses it (LV_ERR_INVALID_OPTION)', async () => {
    ws = await startWsServer();
    const { client, peer } = await wsPair(ws);
    const received = new Promise<number>((resolve) => peer.once('close', resolve));
    client.close(FRACTION);
    expect(await received).toBe(1000);
  });

  it("a server peer's close(code), dropAll(code) and refuse({ code }): refused where ws's server side throws", async () => {
    ws = await startWsServer();
    const network = createMemoryNetwork();
    const server = network.listen('mem://codes');
    const real = await wsOutcomes('peer');
    const peerClose = CODES.map((code) => {
      const { peer } = memoryPair(network, 'mem://codes');
      const outcome = outcomeOf(() => peer.close(code as number), true);
      peer.terminate();
      return outcome;
    });
    expect(peerClose).toEqual(real);
    // dropAll: 1006 is its reset (a terminate, no close frame); every other code as ws's close.
    const dropAll = CODES.map((code) =>
      code === 1006 ? 'refused' : outcomeOf(() => server.dropAll(code as number), true),
    );
    expect(dropAll).toEqual(real);
    const refuse = CODES.map((code) => outcomeOf(() => server.refuse({ code: code as number }), true));
    expect(refuse).toEqual(real);
    server.accept();
    const { peer } = memoryPair(network, 'mem://codes');
    for (const close of [
      () => peer.close(FRACTION),
      () => server.dropAll(FRACTION),
      () => server.refuse({ code: FRACTION }),
    ])
      expect(outcomeOf(close, true)).toBe('refused');
  });

  it('a reason longer than 123 bytes is refused on both sides, as ws refuses it', async () => {
    ws = await startWsServer();
    const { client, peer } = await wsPair(ws);
    expect(() => client.close(1000, LONG_REASON)).toThrow(RangeError);
    expect(() => peer.close(1000, LONG_REASON)).toThrow(RangeError);
    const network = createMemoryNetwork();
    const server = network.listen('mem://reason');
    const memory = memoryPair(network, 'mem://reason');
    for (const close of [
      () => memory.client.close(1000, LONG_REASON),
      () => memory.peer.close(1000, LONG_REASON),
      () => server.dropAll(1000, LONG_REASON),
      () => server.refuse({ code: 1000, reason: LONG_REASON }),
    ]) {
      expect(outcomeOf(close, true)).toBe('refused');
    }
    // Refused, nothing was closed: the pair is still open and closes with a reason that fits.
    expect(memory.peer.open).toBe(true);
    memory.client.close(1000, 'é'.repeat(61));
    expect(memory.peer.open).toBe(false);
  });
});
