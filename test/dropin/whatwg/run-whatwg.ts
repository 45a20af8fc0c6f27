/**
 * Child process of the WHATWG contract test (../whatwg-contract.test.ts): runs the probes below
 * against ONE implementation and prints `{ observations }` as JSON on its last stdout line.
 *
 *   node --experimental-websocket --import tsx test/dropin/whatwg/run-whatwg.ts <implementation>
 *
 * The reference is Node's own WHATWG `WebSocket` (undici, behind `--experimental-websocket` in
 * Node 20): `native`. The peers run on that same class (`WebSocket: globalThis.WebSocket`), as they
 * do in a browser, so where they pass the platform's behaviour through it shows; linkvisor runs on
 * its default `ws` transport (`linkvisor`) and on the native class (`linkvisor-native`). Each probe
 * uses the WebSocket surface only, against ws servers on 127.0.0.1 port 0, and records short
 * strings under stable keys; every wait is bounded.
 */
import type { WebSocket as ServerSocket } from 'ws';
import { startWsServer, type WsTestServer } from '../../helpers/servers.js';

export const IMPLEMENTATIONS = [
  'native',
  'partysocket',
  'reconnecting-websocket',
  'linkvisor',
  'linkvisor-native',
] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

// biome-ignore lint/suspicious/noExplicitAny: the surface of four unrelated classes
type Socket = any;
type Make = (url: unknown, protocols?: unknown) => Socket;

async function load(name: string): Promise<Make> {
  const Native = (globalThis as { WebSocket?: unknown }).WebSocket as new (...args: unknown[]) => Socket;
  if (!Native) throw new Error('no global WebSocket: run with --experimental-websocket');
  const reconnecting =
    (Impl: new (...args: unknown[]) => Socket, options: object) => (url: unknown, p?: unknown) =>
      new Impl(url, p, { maxReconnectionDelay: 60_000, minReconnectionDelay: 60_000, ...options });
  switch (name) {
    case 'native':
      return (url, p) => (p === undefined ? new Native(url) : new Native(url, p));
    case 'partysocket':
      return reconnecting((await import('partysocket/ws')).default as never, { WebSocket: Native });
    case 'reconnecting-websocket':
      return reconnecting((await import('reconnecting-websocket')).default as never, { WebSocket: Native });
    case 'linkvisor':
      return reconnecting((await import('../../../src/entries/ws.js')).default as never, {});
    case 'linkvisor-native':
      return reconnecting((await import('../../../src/entries/ws.js')).default as never, {
        WebSocket: Native,
      });
    default:
      throw new Error(`unknown implementation ${name}`);
  }
}

const observations: Record<string, string> = {};
const note = (key: string, value: string) => {
  observations[key] = value;
};

function until(cond: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => {
      if (cond()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, 5);
    };
    tick();
  });
}

function kind(data: unknown): string {
  if (typeof data === 'string') return 'string';
  if (data instanceof Blob) return 'Blob';
  if (data instanceof ArrayBuffer) return 'ArrayBuffer';
  return Object.prototype.toString.call(data);
}

function thrown(fn: () => void): string {
  try {
    fn();
    return 'returned';
  } catch (error) {
    const e = error as Error;
    return `${e instanceof DOMException ? 'DOMException' : e.constructor.name} ${e.name}`;
  }
}

const portless = (text: string, port: number) => text.replaceAll(String(port), 'PORT');

async function server(
  onConnection?: (ws: ServerSocket) => void,
): Promise<WsTestServer & { paths: string[] }> {
  const paths: string[] = [];
  const s = await startWsServer({
    onConnection: (ws, request) => {
      paths.push(request.url ?? '');
      onConnection?.(ws);
    },
  });
  return Object.assign(s, { paths });
}

/** Event fields: `open`, text and binary `message` per binaryType (handler and listener), the
 * server's close. */
async function events(make: Make): Promise<void> {
  const s = await server((ws) => {
    ws.on('message', (data) => {
      if (String(data) === 'text') ws.send('hello');
      else if (String(data) === 'bytes') ws.send(new Uint8Array([1, 2, 3]));
      else if (String(data) === 'close') ws.close(4000, 'done');
    });
  });
  const socket = make(s.url);
  const seen: string[] = [];
  const fields = (e: MessageEvent) =>
    `data=${kind(e.data)} origin=${portless(String(e.origin), s.port)} lastEventId=${JSON.stringify(e.lastEventId)} ` +
    `source=${String(e.source)} ports=${Array.isArray(e.ports) ? e.ports.length : String(e.ports)} ` +
    `target=${e.target === socket ? 'socket' : 'other'} readyState=${socket.readyState}`;
  socket.onmessage = (e: MessageEvent) => seen.push(`onmessage ${fields(e)}`);
  socket.addEventListener('message', (e: MessageEvent) => seen.push(`listener ${fields(e)}`));
  socket.addEventListener('open', (e: Event) =>
    note(
      'open event',
      `${e.type} target=${e.target === socket ? 'socket' : 'other'} readyState=${socket.readyState}`,
    ),
  );
  socket.addEventListener('close', (e: CloseEvent) => {
    if (!observations['server close event']) {
      note(
        'server close event',
        `code=${e.code} reason=${JSON.stringify(e.reason)} wasClean=${e.wasClean} readyState=${socket.readyState}`,
      );
    }
  });
  socket.addEventListener('error', () => {
    if (!observations['server close event']) note('error before the server close', 'yes');
  });
  await until(() => socket.readyState === 1);
  const receive = async (key: string, request: string) => {
    const from = seen.length;
    socket.send(request);
    await until(() => seen.length >= from + 2);
    note(`${key} (handler)`, seen[from] ?? 'none');
    note(`${key} (listener)`, seen[from + 1] ?? 'none');
  };
  await receive('message, text', 'text');
  await receive('message, binary, binaryType blob', 'bytes');
  socket.binaryType = 'arraybuffer';
  await receive('message, binary, binaryType arraybuffer', 'bytes');
  socket.send('close');
  await until(() => observations['server close event'] !== undefined);
  socket.close();
  await s.stop();
}

/** close(code, reason) as a WebSocket checks and converts its arguments. */
async function closeArguments(make: Make): Promise<void> {
  const codes: number[] = [];
  const s = await server((ws) => ws.on('close', (code) => codes.push(code)));
  const socket = make(s.url);
  await until(() => socket.readyState === 1);
  note(
    'close(1001)',
    thrown(() => socket.close(1001)),
  );
  note(
    'close(2999)',
    thrown(() => socket.close(2999)),
  );
  note(
    'close(5000)',
    thrown(() => socket.close(5000)),
  );
  note(
    'close(1000, 124 bytes)',
    thrown(() => socket.close(1000, 'é'.repeat(62))),
  );
  // (readyState right after it: CLOSING for a WebSocket, CLOSED for partysocket and ours: sync-close)
  note(
    'close(3000.4)',
    thrown(() => socket.close(3000.4)),
  );
  await until(() => codes.length > 0, 2_000);
  note('close(3000.4): the server got', String(codes[0] ?? 'nothing'));
  await s.stop();
}

/** An http: URL connects as ws: (WHATWG: the scheme is changed to ws); url shows ws:. */
async function httpUrl(make: Make): Promise<void> {
  const s = await server();
  let socket: Socket;
  const made = thrown(() => {
    socket = make(`http://127.0.0.1:${s.port}/feed?x=1`);
  });
  note('new (http:// URL)', made);
  if (socket) {
    await until(() => socket.readyState === 1, 2_000);
    note('http:// URL: readyState, url', `${socket.readyState} ${portless(socket.url, s.port)}`);
    note('http:// URL: the server saw', s.paths.join(',') || 'nothing');
    socket.close();
  }
  await s.stop();
}

/** binaryType and the on… handlers without a connection. */
async function surface(make: Make): Promise<void> {
  const s = await server();
  const socket = make(s.url);
  note('binaryType, default', socket.binaryType);
  socket.binaryType = 'bogus';
  note("binaryType = 'bogus'", socket.binaryType);
  const order: string[] = [];
  socket.addEventListener('open', () => order.push('listener'));
  socket.onopen = () => order.push('onopen');
  await until(() => order.length >= 2);
  note('listener added before onopen was set runs', order.join(' then '));
  order.length = 0;
  socket.dispatchEvent(new Event('open'));
  note('dispatchEvent(open) runs', order.join(' then ') || 'nothing');
  socket.close();
  await s.stop();
}

/** A refused connection: the events of the first attempt, in order. */
async function refused(make: Make): Promise<void> {
  const s = await server();
  const url = s.url;
  await s.stop();
  const socket = make(url);
  const seen: string[] = [];
  for (const type of ['open', 'error', 'close']) {
    socket.addEventListener(type, (e: CloseEvent) =>
      seen.push(type === 'close' ? `close ${e.code} wasClean=${e.wasClean}` : type),
    );
  }
  await until(() => seen.some((line) => line.startsWith('close')), 5_000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  note('refused: events', seen.join(', '));
  socket.close();
}

/** Subprotocols, send() before open, readyState within close(). */
async function lifecycle(make: Make): Promise<void> {
  const s = await server();
  const socket = make(s.url, ['chat.v2', 'chat.v1']);
  note('readyState, constructed', String(socket.readyState));
  note(
    'send() while CONNECTING',
    thrown(() => socket.send('early')),
  );
  await until(() => socket.readyState === 1);
  note('protocol, open', socket.protocol);
  let during = '';
  socket.addEventListener('close', () => {
    during ||= String(socket.readyState);
  });
  socket.close();
  note('readyState right after close()', String(socket.readyState));
  await until(() => during !== '', 2_000);
  note('readyState in the close event', during);
  note('protocol, closed', socket.protocol);
  await s.stop();
}

const PROBES = [events, closeArguments, httpUrl, surface, refused, lifecycle];

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const make = await load(name);
  const stray: string[] = [];
  process.on('uncaughtException', (e) => stray.push(`uncaught: ${e.message}`));
  process.on('unhandledRejection', (e) => stray.push(`unhandled: ${String(e)}`));
  console.warn = () => {};
  for (const probe of PROBES) {
    try {
      await Promise.race([
        probe(make),
        new Promise((_r, reject) => setTimeout(() => reject(new Error('over 15 s')), 15_000)),
      ]);
    } catch (error) {
      note(`${probe.name} threw`, String(error));
    }
  }
  process.stdout.write(`${JSON.stringify({ implementation: name, observations, stray })}\n`);
  process.exit(0);
}

if (process.argv[1]?.endsWith('run-whatwg.ts')) await main();
