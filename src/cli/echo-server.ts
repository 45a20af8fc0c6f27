/**
 * The echo server behind `linkvisor serve`: a `ws` server that sends every message back as it came
 * (text as text, binary as binary), for trying the library, the CLI and the inspector locally.
 * `stallAfterMs` receives but stops answering (no echo, no pong) that long after each connection
 * opens (0: from the start), as a hung peer does; `closeCode` closes each connection with
 * that code right after it opens; `bounce()` drops every connection and listens again on the same
 * port, as a server restart does. `close()` leaves nothing behind (sockets, server, listeners).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { REDACTED, redactPathJwts } from '../util/redact.js';
import { scrubCredentials } from '../util/scrub-credentials.js';

export interface EchoServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Stop answering messages and pings this long after each connection opens (0: from the
   * start), or undefined: always answer. */
  stallAfterMs: number | undefined;
  /** Close each connection with this code once open, or undefined. */
  closeCode: number | undefined;
  /** One lifecycle line (without prefix or newline). */
  log: (text: string) => void;
}

export interface EchoServer {
  /** ws://host:port, the same after every bounce. */
  readonly url: string;
  /** Drops every connection (no close handshake: the client sees 1006) and listens again. */
  bounce(): Promise<number>;
  close(): Promise<void>;
}

/** `host:port` as a URL authority (IPv6 in brackets). */
function authority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A request's path as logged: its query values are tokens as often as not (browsers can only
 * send them there), so they are replaced; any other credential in it (the user info of an
 * absolute-form target, a bare JWT query, `token=` in the path) is scrubbed as free text is. */
function shownPath(url: string): string {
  // A JWT in the path is hidden whole first (a JWE's 5 parts, `dir`'s empty key: free text's rule
  // takes 3 non-empty parts only).
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const target = `${redactPathJwts(path)}${at < 0 ? '' : url.slice(at)}`;
  return scrubCredentials(target.replace(/([?&][^=&]*)=[^&]*/g, `$1=${REDACTED}`));
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startEchoServer(options: EchoServerOptions): Promise<EchoServer> {
  const { log, stallAfterMs, closeCode } = options;
  // Pongs are ours to send (or not): ws would answer every ping on its own.
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  let count = 0;
  wss.on('connection', (ws, request) => {
    const n = ++count;
    log(
      `connection ${n} from ${authority(request.socket.remoteAddress ?? '?', request.socket.remotePort ?? 0)}${request.url && request.url !== '/' ? ` (${shownPath(request.url)})` : ''}`,
    );
    ws.on('error', (error) => log(`connection ${n}: ${error.message}`));
    let stalled = stallAfterMs === 0;
    const stallTimer =
      stallAfterMs !== undefined && stallAfterMs > 0
        ? setTimeout(() => {
            stalled = true;
            log(`connection ${n}: stalled (--stall): no echo, no pong from now on`);
          }, stallAfterMs)
        : undefined;
    ws.on('close', (code) => {
      clearTimeout(stallTimer);
      log(`connection ${n} closed (code ${code})`);
    });
    ws.on('ping', (data) => {
      if (stalled) log(`connection ${n}: ping not answered (--stall)`);
      else ws.pong(data);
    });
    ws.on('message', (data, isBinary) => {
      if (stalled) log(`connection ${n}: message not echoed (--stall)`);
      else ws.send(data, { binary: isBinary });
    });
    if (closeCode !== undefined) ws.close(closeCode, 'linkvisor serve --close-code');
  });

  const createHttp = () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      response.end('linkvisor serve: a WebSocket echo server; connect with ws://\n');
    });
    server.on('upgrade', (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    });
    return server;
  };
  const stop = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
    });

  let server = createHttp();
  let port: number;
  try {
    port = await listen(server, options.host, options.port);
  } catch (error) {
    wss.close();
    const code = (error as { code?: unknown }).code;
    throw new Error(
      `cannot listen on ${authority(options.host, options.port)}${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: error },
    );
  }
  const url = `ws://${authority(options.host, port)}`;
  return {
    url,
    async bounce() {
      const dropped = wss.clients.size;
      await stop(server);
      server = createHttp();
      await listen(server, options.host, port);
      return dropped;
    },
    async close() {
      await stop(server);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
