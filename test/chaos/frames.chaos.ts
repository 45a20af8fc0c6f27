/**
 * Sliced and cut frames: no corrupt or partial message may reach the application.
 *
 * Sliced: every byte in both directions goes through the proxy in pieces of 1–64 bytes, each in a
 * read of its own, so frame headers, extended lengths, masks, UTF-8 sequences and (with
 * permessage-deflate) compressed blocks are all split. Messages of every length encoding (7-bit,
 * 16-bit, 64-bit: 0 to 200 000 bytes), text with 1- to 4-byte characters and binary, are
 * self-describing (sequence number and length in the message, content derived from both): each
 * one is regenerated and compared whole on arrival, at the link and at the server.
 *
 * Cut: the proxy forwards a random number of bytes of a 100 000-byte frame, then closes the
 * connection. The application must see nothing of that frame; the link reconnects and the next
 * full copy arrives intact.
 */
import http from 'node:http';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { nextRandom, seedRandom } from '../../machines/policy/random.js';
import type { Incoming, Link } from '../../src/index.js';
import { nextEvent } from '../helpers/events.js';
import { useHarness } from '../helpers/harness.js';
import { listen } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { CHAOS, linkUrl, TransportProbe } from './probes.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'sliced and cut frames';
/** Lengths around every boundary of the frame header's length field, and large ones. */
const SIZES = [0, 1, 2, 60, 124, 125, 126, 127, 128, 1000, 65_535, 65_536, 65_537, 200_000];
const UNITS = ['a', 'é', '€', '𝄞', 'z'];

function textMessage(seq: number, units: number): string {
  let body = '';
  for (let i = 0; i < units; i++) body += UNITS[(seq + i) % UNITS.length];
  return `T${seq}|${units}|${body}`;
}

function binaryMessage(seq: number, length: number): Buffer {
  const buf = Buffer.alloc(8 + length);
  buf.writeUInt32BE(seq, 0);
  buf.writeUInt32BE(length, 4);
  for (let i = 0; i < length; i++) buf[8 + i] = (seq * 31 + i * 7) & 0xff;
  return buf;
}

/** The message for position `seq` of the cycle: text and binary alternate over SIZES. */
function message(seq: number): string | Buffer {
  const size = SIZES[seq % SIZES.length] ?? 0;
  return seq % 2 === 0 ? textMessage(seq, Math.ceil(size / 2)) : binaryMessage(seq, size);
}

/** Whether `data` is exactly one of our messages, whole; returns its seq or null. */
function verify(data: Incoming | Buffer, binary: boolean): number | null {
  if (!binary && typeof data === 'string') {
    const match = /^T(\d+)\|(\d+)\|/.exec(data);
    if (!match) return null;
    const seq = Number(match[1]);
    return data === textMessage(seq, Number(match[2])) ? seq : null;
  }
  if (typeof data === 'string') return null;
  const buf = Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
  if (buf.length < 8) return null;
  const seq = buf.readUInt32BE(0);
  return buf.equals(binaryMessage(seq, buf.readUInt32BE(4))) ? seq : null;
}

interface Tally {
  ok: number;
  bad: number;
}

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  /** A ws server (optionally with permessage-deflate) that verifies what it receives and answers
   * each `cycle` with the whole cycle of messages and each `big:<seq>` with one 100 000-byte frame. */
  async function server(deflate: boolean, tally: Tally) {
    const httpServer = http.createServer();
    const sockets = new Set<net.Socket>();
    httpServer.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const wss = new WebSocketServer({
      server: httpServer,
      perMessageDeflate: deflate ? { threshold: 0 } : false,
      maxPayload: 1024 * 1024,
    });
    wss.on('connection', (ws: WebSocket) => {
      ws.on('error', () => {});
      ws.on('message', (data: Buffer, isBinary) => {
        const text = isBinary ? '' : String(data);
        if (text === 'cycle') {
          for (let seq = 0; seq < SIZES.length * 2; seq++) ws.send(message(seq));
          return;
        }
        if (text.startsWith('big:')) {
          ws.send(binaryMessage(Number(text.slice(4)), 100_000));
          return;
        }
        if (verify(isBinary ? data : text, isBinary) === null) tally.bad++;
        else tally.ok++;
      });
    });
    const port = await listen(httpServer);
    h.defer(async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    });
    return port;
  }

  it.each([
    ['no compression', false],
    ['permessage-deflate', true],
  ])(
    'sliced into 1–64-byte pieces both ways (%s): every message arrives whole, none corrupt',
    async (name, deflate) => {
      const atServer: Tally = { ok: 0, bad: 0 };
      const port = await server(deflate as boolean, atServer);
      const proxy = await ChaosProxy.start({ targetPort: port, seed: 3 });
      h.defer(() => proxy.stop());
      proxy.slice({ min: 1, max: 64 });
      const supervisor = h.supervisor({ ...CHAOS, heartbeat: false, seed: 3 });
      const links = 4;
      const atLinks: Tally = { ok: 0, bad: 0 };
      const all: Link[] = [];
      for (let i = 0; i < links; i++) {
        const link = supervisor.connect(linkUrl(proxy.url(), i), { id: String(i) });
        link.on('message', (data) => {
          if (verify(data, typeof data !== 'string') === null) atLinks.bad++;
          else atLinks.ok++;
        });
        all.push(link);
      }
      await waitFor(() => all.every((link) => link.state === 'ready'), {
        message: 'links ready',
        timeoutMs: 60_000,
      });
      const perCycle = SIZES.length * 2;
      for (const link of all) {
        link.send('cycle');
        for (let seq = 0; seq < perCycle; seq++) link.send(message(seq));
      }
      await waitFor(
        () => atLinks.ok + atLinks.bad >= links * perCycle && atServer.ok + atServer.bad >= links * perCycle,
        {
          message: 'every message of the cycle at both ends',
          // 30 s failed at load 18–20 (round 23): a hang guard; the claim is what arrives.
          timeoutMs: 120_000,
          intervalMs: 20,
        },
      );
      const label = `${SCENARIO}, sliced, ${name}`;
      figure(
        label,
        'messages intact at the links / at the server',
        `${atLinks.ok} / ${atServer.ok}`,
        `= ${links * perCycle} / ${links * perCycle}`,
      );
      figure(
        label,
        'corrupt or partial at the links / at the server',
        `${atLinks.bad} / ${atServer.bad}`,
        '= 0 / 0',
      );
      figure(label, 'bytes through the proxy, up / down', sumForwarded(proxy));
      expect(atLinks).toEqual({ ok: links * perCycle, bad: 0 });
      expect(atServer).toEqual({ ok: links * perCycle, bad: 0 });
      expect(all.every((link) => link.state === 'ready')).toBe(true);
    },
  );

  it('cut in the middle of a 100 000-byte frame, 8 times on each of 3 links: nothing partial is delivered, the next copy arrives whole', async () => {
    const atServer: Tally = { ok: 0, bad: 0 };
    const port = await server(false, atServer);
    const proxy = await ChaosProxy.start({ targetPort: port });
    h.defer(() => proxy.stop());
    const probe = new TransportProbe();
    const supervisor = h.supervisor({ ...CHAOS, heartbeat: false, transport: probe.transport, seed: 4 });
    let random = seedRandom(42);
    const delivered: { ok: number; bad: number; lengths: Set<number> } = {
      ok: 0,
      bad: 0,
      lengths: new Set(),
    };
    const cutsPerLink = 8;
    const offsets: number[] = [];

    async function run(i: number): Promise<void> {
      const link = supervisor.connect(linkUrl(proxy.url(), i), { id: String(i) });
      let got = 0;
      link.on('message', (data) => {
        const seq = verify(data, true);
        if (seq === null) delivered.bad++;
        else delivered.ok++;
        if (typeof data !== 'string') delivered.lengths.add(data.byteLength);
        got++;
      });
      for (let cut = 0; cut < cutsPerLink; cut++) {
        await link.ready();
        const connection = proxy.connectionsOf(String(i))[0];
        if (!connection) throw new Error(`no proxy connection for link ${i}`);
        // Somewhere inside the frame: past its 10-byte header, before its last byte.
        const draw = nextRandom(random);
        random = draw.state;
        const offset = 11 + Math.floor(draw.value * (100_000 - 12));
        offsets.push(offset);
        connection.cut(offset, 'down');
        const lost = nextEvent(link, 'lost', { timeoutMs: 10_000 });
        link.send(`big:${i * 100 + cut}`);
        await lost;
      }
      await link.ready();
      link.send(`big:${i * 100 + 99}`);
      await waitFor(() => got >= 1, { message: `the uncut copy on link ${i}`, timeoutMs: 10_000 });
    }

    await Promise.all([0, 1, 2].map((i) => run(i)));
    figure(SCENARIO, 'frames cut mid-frame', proxy.cuts, `= ${3 * cutsPerLink}`);
    figure(
      SCENARIO,
      'cut offsets within the frame (min / max bytes)',
      `${Math.min(...offsets)} / ${Math.max(...offsets)}`,
    );
    figure(
      SCENARIO,
      'messages delivered after cuts: whole / partial or corrupt',
      `${delivered.ok} / ${delivered.bad}`,
      '= 3 / 0',
    );
    figure(SCENARIO, 'most live sockets of one link', probe.maxLivePerLink, '≤ 1');
    expect(proxy.cuts).toBe(3 * cutsPerLink);
    expect(delivered.bad).toBe(0);
    expect(delivered.ok).toBe(3);
    expect([...delivered.lengths]).toEqual([100_008]);
    expect(probe.violations).toEqual([]);
  });
});

function sumForwarded(proxy: ChaosProxy): string {
  return `${proxy.forwardedBytes('up').toLocaleString('en-US')} / ${proxy.forwardedBytes('down').toLocaleString('en-US')}`;
}
