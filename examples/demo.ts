/**
 * The demo (`npm start`): an embedded ws server on 127.0.0.1, three links, and trouble.
 *
 *   link:feed   plain echo with a ticker
 *   link:auth   an application handshake (sends a token, awaits the ack) before ready
 *   link:stall  heartbeat on; the server stops answering its pings now and then
 *
 * The server restarts every few seconds (close code 1012, then down for a moment), and the
 * stalling endpoint goes silent, so the timeline shows reconnects with backoff, handshakes and
 * heartbeat detection. Ends after `--duration-ms` (default 20000) or on Ctrl-C, leaving nothing
 * running. Everything printed is redacted: the token in the URL never appears. It also starts the
 * live inspector (linkvisor/inspector) and prints its URL (`--inspector-port N` to pin the port).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { createSupervisor, type Link } from '../src/index.js';
import { createInspector, startInspector } from '../src/inspector/index.js';

const durationMs = readDuration();
const bounceEveryMs = 6_000;
const downForMs = 1_200;
const stallEveryMs = 4_500;
const started = performance.now();

function readDuration(): number {
  const flag = process.argv.indexOf('--duration-ms');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env.LINKVISOR_DEMO_DURATION_MS;
  const value = raw === undefined ? 20_000 : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--duration-ms: must be a positive number of ms, got ${raw}`);
    process.exit(2);
  }
  return value;
}

function readInspectorPort(): number {
  const flag = process.argv.indexOf('--inspector-port');
  const raw = flag >= 0 ? process.argv[flag + 1] : undefined;
  const value = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error(`--inspector-port: must be a port number, got ${raw}`);
    process.exit(2);
  }
  return value;
}

// ── output ──

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const stateColor: Record<string, number> = {
  ready: 32,
  reconnecting: 33,
  failed: 31,
  closed: 90,
  closing: 90,
};

function stamp(): string {
  return `+${((performance.now() - started) / 1000).toFixed(3).padStart(7)}s`;
}

function line(who: string, text: string): void {
  console.log(`${paint(90, stamp())}  ${who.padEnd(11)} ${text}`);
}

function watch(link: Link): void {
  // One listener: the state event carries the reason, attempt and delay of its own transition.
  link.on('state', ({ from, to, reason, attempt, delayMs }) => {
    let text = `${from} → ${paint(stateColor[to] ?? 36, to)}`;
    if (reason && (to === 'reconnecting' || to === 'suspended' || to === 'failed')) {
      text += `  ${paint(35, reason.message)}`;
    }
    if (to === 'reconnecting' && delayMs !== undefined) {
      text += `  next in ${(delayMs / 1000).toFixed(2)} s (attempt ${attempt})`;
    }
    line(link.id, text);
  });
  link.on('error', (error) => line(link.id, paint(31, `error ${error.code}: ${error.message}`)));
}

// ── the embedded server ──

interface DemoServer {
  port: number;
  bounce(): Promise<void>;
  stall(): void;
  close(): Promise<void>;
}

async function startServer(): Promise<DemoServer> {
  const feed = new WebSocketServer({ noServer: true });
  const auth = new WebSocketServer({ noServer: true });
  const stalling = new WebSocketServer({ noServer: true, autoPong: false });
  const all = [feed, auth, stalling];
  let stalled: WebSocket | null = null;

  feed.on('connection', (ws) => {
    ws.on('message', (data) => ws.send(`echo ${data}`));
  });
  auth.on('connection', (ws) => {
    ws.once('message', (data) => {
      const ok = JSON.parse(String(data)).token === 'demo-secret-token';
      ws.send(JSON.stringify({ ok }));
      if (!ok) ws.close(1008, 'bad token');
    });
  });
  stalling.on('connection', (ws) => {
    ws.on('ping', (payload) => {
      if (ws !== stalled) ws.pong(payload);
    });
  });

  const routes: Record<string, WebSocketServer> = { '/feed': feed, '/auth': auth, '/stall': stalling };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    route.handleUpgrade(request, socket, head, (ws) => route.emit('connection', ws, request));
  };

  let http: Server = createServer();
  http.on('upgrade', onUpgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  const stopHttp = () => new Promise<void>((resolve) => http.close(() => resolve()));
  return {
    port,
    async bounce() {
      line('server', paint(33, `restarting (close 1012), down for ${downForMs} ms`));
      for (const wss of all) for (const ws of wss.clients) ws.close(1012, 'service restart');
      await stopHttp();
      await new Promise((r) => setTimeout(r, downForMs));
      http = createServer();
      http.on('upgrade', onUpgrade);
      await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
      line('server', paint(32, 'back up'));
    },
    stall() {
      const [ws] = stalling.clients;
      if (!ws) return;
      stalled = ws;
      line('server', paint(33, '/stall stops answering pings (the link is half-open now)'));
    },
    async close() {
      for (const wss of all) {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
      }
      http.closeAllConnections();
      await stopHttp();
    },
  };
}

// ── main ──

const server = await startServer();
const base = `ws://127.0.0.1:${server.port}`;
console.log(`linkvisor demo: server on ${base}, running for ${durationMs / 1000} s (Ctrl-C to stop)\n`);

const inspector = createInspector();
const supervisor = createSupervisor({
  inspect: inspector.inspect,
  backoff: { initialDelayMs: 300, maxDelayMs: 3_000, jitter: 'full', stableAfterMs: 2_000 },
  connectTimeoutMs: 2_000,
  closeTimeoutMs: 1_000,
  heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 },
});

const links = [
  supervisor.connect(`${base}/feed`, { id: 'feed' }),
  supervisor.connect(`${base}/auth?token=demo-secret-token`, {
    id: 'auth',
    handshake: async ({ send, next }) => {
      send(JSON.stringify({ token: 'demo-secret-token' }));
      const reply = JSON.parse(String(await next()));
      if (!reply.ok) throw Object.assign(new Error('token refused'), { fatal: true });
    },
  }),
  supervisor.connect(`${base}/stall`, { id: 'stall', heartbeat: { intervalMs: 500, timeoutMs: 700 } }),
];
for (const link of links) watch(link);

// The live inspector: every link's chart with its active state, timeline and figures.
const inspectorServer = await startInspector(supervisor, { inspector, port: readInspectorPort() });
console.log(
  `inspector: ${inspectorServer.url}  (open it in a browser; 127.0.0.1 only, the token is per run)\n`,
);

let echoes = 0;
links[0]?.on('message', () => {
  echoes++;
});
const ticker = setInterval(() => links[0]?.send(`tick ${Date.now()}`), 250);

let stopping = false;
const timers: NodeJS.Timeout[] = [];
const bouncer = setInterval(() => {
  if (!stopping) void server.bounce();
}, bounceEveryMs);
const staller = setInterval(() => server.stall(), stallEveryMs);
timers.push(setTimeout(() => void stop('duration reached'), durationMs));

async function stop(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  clearInterval(bouncer);
  clearInterval(staller);
  for (const t of timers) clearTimeout(t);
  console.log(`\n${stamp()}  stopping: ${why}`);
  await supervisor.close();
  await inspectorServer.close();
  await server.close();
  console.log(`\nechoes received on link:feed: ${echoes}`);
  console.log('final status:');
  for (const link of links) {
    const s = link.status();
    console.log(
      `  ${s.id.padEnd(11)} ${s.state.padEnd(8)} ready ${s.readyCount}×  last error: ${s.lastError?.message ?? '-'}`,
    );
  }
  process.exitCode = 0;
}

process.once('SIGINT', () => void stop('Ctrl-C'));
process.once('SIGTERM', () => void stop('SIGTERM'));
