/**
 * Loopback servers for integration tests: real `ws` servers, bare HTTP upgrade servers and raw
 * TCP servers, always on 127.0.0.1 (port 0 unless a test rebinds the port it was given). Every
 * server tracks its sockets so that `stop()` leaves nothing open; `stop()` is idempotent.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { type ServerOptions, type WebSocket, WebSocketServer } from 'ws';

export const HOST = '127.0.0.1';
/**
 * Whether ports are kept (kept-port.ts): on Linux, which answers on all of 127.0.0.0/8. macOS and
 * Windows answer on 127.0.0.1 alone unless configured: there (or with LV_TEST_KEPT_PORTS=0, to
 * try this path on Linux) a "kept" port is a port freed just before, which the restart takes
 * again: the race kept ports remove, left on those platforms so that `npm test` runs there.
 */
export const KEPT_PORTS = process.platform === 'linux' && process.env.LV_TEST_KEPT_PORTS !== '0';
/**
 * The loopback address of servers that restart on a kept port (kept-port.ts, ChaosProxy.startKept):
 * a port number held on HOST, by a bare listener or by the chaos proxy, which no other process
 * can bind or take as an ephemeral port meanwhile (Linux routes all of 127.0.0.0/8 to lo). HOST
 * where ports are not kept (KEPT_PORTS).
 */
export const BEHIND_HOST = KEPT_PORTS ? '127.0.0.3' : HOST;

/**
 * Listens on host:port (HOST, 0: any free port); resolves with the port, rejects on error. On
 * BEHIND_HOST only at a kept port's number: there the kernel could answer port 0 with a number
 * another test keeps (its holder on HOST does not keep it from a bind to 127.0.0.3 itself).
 */
export function listen(server: net.Server, port = 0, host = HOST): Promise<number> {
  if (KEPT_PORTS && host === BEHIND_HOST && port === 0) {
    const error = new Error(`listen on ${BEHIND_HOST} needs a kept port's number (kept-port.ts), not 0`);
    return Promise.reject(Object.assign(error, { code: 'BEHIND_HOST_WITHOUT_KEPT_PORT' }));
  }
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** Tracks the accepted sockets of a server; `destroyAll` ends them at once. */
function trackSockets(server: net.Server) {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    sockets,
    destroyAll() {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** An idempotent stop(): closes the server and destroys its open sockets, once. */
function stopOnce(server: net.Server, tracked: { destroyAll(): void }): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      const closed = closeServer(server);
      tracked.destroyAll();
      await closed;
    })();
    return stopping;
  };
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/** A loopback HTTP server (pages, assets): `stop()` closes it and ends every connection, once. */
export async function startHttpServer(
  handler: http.RequestListener,
): Promise<{ server: http.Server; port: number; url: string; stop(): Promise<void> }> {
  const server = http.createServer(handler);
  const tracked = trackSockets(server);
  const port = await listen(server);
  return { server, port, url: `http://${HOST}:${port}/`, stop: stopOnce(server, tracked) };
}

// ── raw TCP ──────────────────────────────────────────────────────────────────────────────────

export interface NetTestServer {
  server: net.Server;
  port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  sockets: Set<net.Socket>;
  stop(): Promise<void>;
}

export async function startNetServer(
  onSocket: (socket: net.Socket) => void,
  { port = 0 }: { port?: number } = {},
): Promise<NetTestServer> {
  const server = net.createServer();
  const tracked = trackSockets(server);
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    onSocket(socket);
  });
  const bound = await listen(server, port);
  return {
    server,
    port: bound,
    get connections() {
      return connections;
    },
    sockets: tracked.sockets,
    stop: stopOnce(server, tracked),
  };
}

// ── HTTP upgrade (answering the upgrade request by hand) ─────────────────────────────────────

export interface UpgradeTestServer {
  server: http.Server;
  port: number;
  url: string;
  /** Upgrade requests received so far. */
  readonly upgrades: number;
  /** Headers of every upgrade request, in order. */
  requests: http.IncomingMessage[];
  stop(): Promise<void>;
}

/** An HTTP server whose `upgrade` handler is the test's: answer with any status, stall, reset. */
export async function startUpgradeServer(
  onUpgrade: (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void,
  { port = 0 }: { port?: number } = {},
): Promise<UpgradeTestServer> {
  const server = http.createServer((_req, res) => {
    res.statusCode = 426;
    res.end();
  });
  const tracked = trackSockets(server);
  const requests: http.IncomingMessage[] = [];
  server.on('upgrade', (request, socket, head) => {
    requests.push(request);
    socket.on('error', () => {});
    onUpgrade(request, socket, head);
  });
  const bound = await listen(server, port);
  return {
    server,
    port: bound,
    url: `ws://${HOST}:${bound}`,
    get upgrades() {
      return requests.length;
    },
    requests,
    stop: stopOnce(server, tracked),
  };
}

/** Writes a bare HTTP response to an upgrade request and ends the socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string, headers: string[] = []): void {
  const lines = [`HTTP/1.1 ${status} ${text}`, ...headers, 'Connection: close', 'Content-Length: 0'];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

// ── WebSocket ────────────────────────────────────────────────────────────────────────────────

export interface WsTestServer {
  wss: WebSocketServer;
  server: http.Server;
  port: number;
  url: string;
  /** WebSocket connections accepted so far (upgrades completed). */
  readonly connections: number;
  /** Upgrade requests received so far (including ones the test rejected). */
  readonly upgrades: number;
  /** Open server-side sockets. */
  clients: Set<WebSocket>;
  /** Client frames seen on each connection, in arrival order (only with `tapFrames: true`). */
  frames: Map<WebSocket, Frame[]>;
  /** Terminates every client, then closes the server. Idempotent. */
  stop(): Promise<void>;
}

export interface WsServerOptions {
  port?: number;
  /** Listen on this loopback address (default HOST; a server on a kept port: kept-port.ts). */
  host?: string;
  /** ws answers pings itself (default true). */
  autoPong?: boolean;
  /** Record the raw frames each client sends (opcodes, order, close frames). */
  tapFrames?: boolean;
  /** ws's permessage-deflate (off by default, as ws's server has it). */
  perMessageDeflate?: ServerOptions['perMessageDeflate'];
  onConnection?: (ws: WebSocket, request: http.IncomingMessage) => void;
}

/** The URL of a ws server that was started and stopped: its port refuses connections (a server
 * out of reach, e.g. for a link kept away from its session). */
export async function unreachableUrl(start: () => Promise<WsTestServer>): Promise<string> {
  const dead = await start();
  await dead.stop();
  return dead.url;
}

export async function startWsServer(options: WsServerOptions = {}): Promise<WsTestServer> {
  const server = http.createServer((_req, res) => {
    res.statusCode = 426;
    res.end();
  });
  const tracked = trackSockets(server);
  const wss = new WebSocketServer({
    noServer: true,
    autoPong: options.autoPong ?? true,
    perMessageDeflate: options.perMessageDeflate ?? false,
  });
  const frames = new Map<WebSocket, Frame[]>();
  let connections = 0;
  let upgrades = 0;
  server.on('upgrade', (request, socket, head) => {
    upgrades++;
    socket.on('error', () => {});
    wss.handleUpgrade(request, socket, head, (ws) => {
      connections++;
      ws.on('error', () => {});
      if (options.tapFrames) frames.set(ws, tapClientFrames(request.socket));
      wss.emit('connection', ws, request);
    });
  });
  if (options.onConnection) wss.on('connection', options.onConnection);
  const host = options.host ?? HOST;
  const bound = await listen(server, options.port ?? 0, host);
  let stopping: Promise<void> | null = null;
  return {
    wss,
    server,
    port: bound,
    url: `ws://${host}:${bound}`,
    get connections() {
      return connections;
    },
    get upgrades() {
      return upgrades;
    },
    clients: wss.clients,
    frames,
    stop() {
      stopping ??= (async () => {
        const closed = closeServer(server);
        for (const ws of wss.clients) ws.terminate();
        tracked.destroyAll();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await closed;
      })();
      return stopping;
    },
  };
}

// ── frame tap ────────────────────────────────────────────────────────────────────────────────

export interface Frame {
  fin: boolean;
  /** 0x1 text, 0x2 binary, 0x0 continuation, 0x8 close, 0x9 ping, 0xa pong. */
  opcode: number;
  length: number;
  /** Unmasked payload of control frames and of text frames up to 1 KiB; otherwise empty. */
  payload: Buffer;
}

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * Parses the (masked) frames a client writes on `socket`, as a second 'data' listener placed
 * before ws's own. Attach it right after the upgrade completed.
 */
export function tapClientFrames(socket: net.Socket): Frame[] {
  const frames: Frame[] = [];
  let pending = Buffer.alloc(0);
  // ws unmasks payloads in place inside the chunk it is given: read first, and copy.
  socket.prependListener('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      const b0 = pending[0]!;
      const b1 = pending[1]!;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (pending.length < offset + length) return;
      const opcode = b0 & 0x0f;
      const keep = opcode >= 0x8 || (opcode === OPCODE.text && length <= 1024);
      let payload = Buffer.alloc(0);
      if (keep) {
        payload = Buffer.from(pending.subarray(offset, offset + length));
        if (masked) {
          for (let i = 0; i < payload.length; i++) {
            payload[i] = (payload[i] ?? 0) ^ (pending[maskAt + (i % 4)] ?? 0);
          }
        }
      }
      frames.push({ fin: (b0 & 0x80) !== 0, opcode, length, payload });
      pending = pending.subarray(offset + length);
    }
  });
  return frames;
}

/** The close code in a close frame's payload (1005 when it carries none). */
export function closeCodeOf(frame: Frame): number {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
}

/** A port free a moment ago on HOST (listened on, then closed): where ports are not kept
 * (KEPT_PORTS false), what a kept port's number is. Not for a port that must refuse: anyone may
 * listen on it meanwhile (a test that needs a refusal keeps one: `h.keptPort()`, kept-port.ts). */
export async function freedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server, 0, HOST);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
