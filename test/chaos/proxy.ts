/**
 * The chaos suite's fault injector: a TCP proxy on `node:net` between the clients under test and a
 * real server on 127.0.0.1. Every client connection gets its own upstream connection; bytes are
 * forwarded in both directions through a `Pipe` that can delay, throttle, slice, hold or cut them.
 *
 *   client ──up──▶ proxy ──up──▶ server        up:   client → server (requests, client frames)
 *   client ◀─down─ proxy ◀─down─ server        down: server → client (101, server frames)
 *
 * Faults (each applies at once to open connections and to new ones, until undone):
 *   refuse() / accept()        close / reopen the listener on the same port: ECONNREFUSED
 *   resetOn('accept' | 'request' | 'response')   RST (`socket.resetAndDestroy()`) a new connection at
 *                              once, after its HTTP request, or instead of the server's first bytes
 *                              (the 101): a reset in the middle of the upgrade
 *   resetAll()                 RST every open connection, both sides
 *   blackhole(ways) / heal()   hold every byte, FIN and RST of a direction (like a dead route);
 *                              `heal()` delivers what was held, in order (TCP would retransmit)
 *   latency(ms, ways)          each chunk is delivered `ms` after it arrived
 *   bandwidth(bytesPerSec, ways)  a token bucket per connection and direction
 *   slice({ min, max }, ways)  each chunk is written as pieces of min..max bytes, one per loop turn
 *   cut(afterBytes, ways)      every open connection forwards `afterBytes` more bytes of that
 *                              direction, then both sides are destroyed (a frame cut in the middle)
 *   finDelay(ms, ways)         a FIN is passed on `ms` after it arrived (data before it is not held)
 *
 * Bookkeeping: accepted connections and their times, the HTTP request path of each (links put
 * `?link=<n>` in their URL), open connections. `stop()` leaves no socket, server or timer behind.
 * Randomness (slice sizes) comes from a seeded PRNG: a run can be replayed. One direction of one
 * connection, shaped: proxy-pipe.ts; one connection and its two sockets: proxy-connection.ts.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { nextRandom, type RandomState, seedRandom } from '../../machines/policy/random.js';
import { BEHIND_HOST, freedPort, HOST, KEPT_PORTS, listen } from '../helpers/servers.js';
import { Connection, type ProxyConnection } from './proxy-connection.js';
import { Pipe, type Shaping, type Way, type Ways, ways } from './proxy-pipe.js';

export type ResetPoint = 'none' | 'accept' | 'request' | 'response';

export interface ChaosProxyOptions {
  /** Where the server listens (on `targetHost`). */
  targetPort: number;
  /** The server's loopback address (default 127.0.0.1). */
  targetHost?: string;
  /** Listen on this port (default 0: any free port). */
  port?: number;
  /** Seed of the slice sizes. */
  seed?: number;
}

export class ChaosProxy {
  readonly shaping: Record<Way, Shaping> = {
    up: { held: false, latencyMs: 0, bytesPerSec: 0, slice: null, finDelayMs: 0 },
    down: { held: false, latencyMs: 0, bytesPerSec: 0, slice: null, finDelayMs: 0 },
  };
  /** Open connections. */
  readonly connections = new Set<Connection>();
  /** Time (performance.now()) of every accepted connection, in order. */
  readonly acceptTimes: number[] = [];
  /** Request path and time of every connection that sent one. */
  readonly requests: { at: number; path: string; link: string | null }[] = [];
  /** Connections cut by `cut()` so far. */
  cuts = 0;
  /** Bytes forwarded by connections that are over, per direction. */
  private readonly forwardedOver: Record<Way, number> = { up: 0, down: 0 };
  private resetPoint: ResetPoint = 'none';
  private server: net.Server;
  private random: RandomState;
  private nextId = 1;
  private stopped = false;

  private constructor(
    private targetPort: number,
    readonly port: number,
    server: net.Server,
    seed: number,
    private readonly targetHost: string,
  ) {
    this.server = server;
    this.random = seedRandom(seed);
  }

  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const server = ChaosProxy.createServer();
    const port = await listen(server, options.port ?? 0);
    const proxy = new ChaosProxy(
      options.targetPort,
      port,
      server,
      options.seed ?? 1,
      options.targetHost ?? HOST,
    );
    server.on('connection', (socket) => proxy.onConnection(socket));
    return proxy;
  }

  /**
   * A proxy for a server that stops and starts again "on the same port": it relays to its own port
   * number on BEHIND_HOST, where each server listens (`proxy.behind`). The port the clients use is
   * the proxy's, open until `stop()`, and no other process can take BEHIND_HOST:port meanwhile (a
   * server restarted on a port it freed can find it taken: ../helpers/kept-port.ts).
   */
  static async startKept(options: { seed?: number } = {}): Promise<ChaosProxy> {
    // Not Linux (../helpers/servers.ts, KEPT_PORTS): servers behind on a port freed just before.
    if (!KEPT_PORTS) return ChaosProxy.start({ ...options, targetHost: HOST, targetPort: await freedPort() });
    const proxy = await ChaosProxy.start({ ...options, targetHost: BEHIND_HOST, targetPort: 0 });
    // Synchronously after the listener's start: no connection has been handled yet.
    proxy.retarget(proxy.port);
    return proxy;
  }

  /** Where a server behind a `startKept()` proxy listens (spread into startWsServer's options). */
  get behind(): { host: string; port: number } {
    return { host: this.targetHost, port: this.targetPort };
  }

  private static createServer(): net.Server {
    return net.createServer({ allowHalfOpen: true, pauseOnConnect: false });
  }

  /** `ws://127.0.0.1:<port><path>` */
  url(path = '/'): string {
    return `ws://${HOST}:${this.port}${path}`;
  }

  get accepted(): number {
    return this.acceptTimes.length;
  }

  /** Points new connections at another server port (a server that came back elsewhere). */
  retarget(port: number): void {
    this.targetPort = port;
  }

  // ── faults ──

  /** Closes the listener: new connections are refused (ECONNREFUSED). Open ones are untouched. */
  async refuse(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async accept(): Promise<void> {
    if (this.server.listening || this.stopped) return;
    const server = ChaosProxy.createServer();
    server.on('connection', (socket) => this.onConnection(socket));
    await listen(server, this.port);
    this.server = server;
  }

  resetOn(point: ResetPoint): void {
    this.resetPoint = point;
  }

  /** RSTs every open connection (both sides); returns how many. */
  resetAll(): number {
    const all = [...this.connections];
    for (const c of all) c.reset();
    return all.length;
  }

  blackhole(w: Ways = 'both'): void {
    for (const way of ways(w)) this.shaping[way].held = true;
  }

  heal(w: Ways = 'both'): void {
    for (const way of ways(w)) this.shaping[way].held = false;
    this.pumpAll();
  }

  latency(ms: number, w: Ways = 'both'): void {
    for (const way of ways(w)) this.shaping[way].latencyMs = ms;
    this.pumpAll();
  }

  bandwidth(bytesPerSec: number, w: Ways = 'both'): void {
    for (const way of ways(w)) this.shaping[way].bytesPerSec = bytesPerSec;
    this.pumpAll();
  }

  slice(range: { min: number; max: number } | null, w: Ways = 'both'): void {
    if (range && (range.min < 1 || range.max < range.min)) throw new RangeError('slice: 1 ≤ min ≤ max');
    for (const way of ways(w)) this.shaping[way].slice = range;
    this.pumpAll();
  }

  finDelay(ms: number, w: Ways = 'both'): void {
    for (const way of ways(w)) this.shaping[way].finDelayMs = ms;
    this.pumpAll();
  }

  /** Every open connection forwards `afterBytes` more bytes in `way`, then is destroyed. */
  cut(afterBytes: number, w: Ways = 'down'): number {
    let armed = 0;
    for (const c of this.connections) {
      for (const way of ways(w)) {
        c.cut(afterBytes, way);
        armed++;
      }
    }
    return armed;
  }

  /** Back to a plain pass-through (the listener state is left as it is). */
  clear(): void {
    this.resetPoint = 'none';
    for (const way of ['up', 'down'] as const) {
      Object.assign(this.shaping[way], {
        held: false,
        latencyMs: 0,
        bytesPerSec: 0,
        slice: null,
        finDelayMs: 0,
      });
    }
    for (const c of this.connections) {
      if (c.up) c.up.cutAt = null;
      c.down.cutAt = null;
    }
    this.pumpAll();
  }

  /** Open connections whose request carried `?link=<link>`. */
  connectionsOf(link: string): ProxyConnection[] {
    return [...this.connections].filter((c) => c.link === link);
  }

  /** Bytes forwarded so far in `way`, by every connection. */
  forwardedBytes(way: Way): number {
    let n = this.forwardedOver[way];
    for (const c of this.connections) n += c.forwarded(way);
    return n;
  }

  /** Items held or delayed in the pipes of open connections. */
  get waiting(): number {
    let n = 0;
    for (const c of this.connections) n += c.down.waiting + (c.up?.waiting ?? 0);
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const closed = this.server.listening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    for (const c of [...this.connections]) c.destroy();
    await closed;
  }

  // ── plumbing ──

  private pumpAll(): void {
    for (const c of this.connections) {
      c.up?.pump();
      c.down.pump();
    }
  }

  private draw = (min: number, max: number): number => {
    const { value, state } = nextRandom(this.random);
    this.random = state;
    return min + Math.floor(value * (max - min + 1));
  };

  private onConnection(client: net.Socket): void {
    const acceptedAt = performance.now();
    this.acceptTimes.push(acceptedAt);
    client.setNoDelay(true);
    const c = new Connection(this.nextId++, client, acceptedAt, (over) => {
      this.connections.delete(over);
      this.forwardedOver.up += over.forwarded('up');
      this.forwardedOver.down += over.forwarded('down');
    });
    this.connections.add(c);
    client.on('error', () => {});
    client.on('close', (hadError) => {
      // A client gone without a FIN (RST): the server side learns of it, in order.
      if ((hadError || !c.clientEnded) && c.up && !c.upstream?.destroyed) {
        c.up.push({ kind: 'reset', at: performance.now() });
      }
      c.finish();
    });
    const cut = () => {
      this.cuts++;
      c.client.destroy();
      c.upstream?.destroy();
      c.finish();
    };
    c.down = new Pipe(client, this.shaping.down, this.draw, cut);
    if (this.resetPoint === 'accept') {
      client.resetAndDestroy();
      return;
    }
    const resetOnRequest = this.resetPoint === 'request';
    const resetOnResponse = this.resetPoint === 'response';
    let first = true;
    client.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        const line =
          chunk.subarray(0, Math.min(chunk.length, 2048)).toString('latin1').split('\r\n')[0] ?? '';
        const path = line.split(' ')[1] ?? '';
        c.path = path;
        try {
          c.link = new URL(path, 'http://x').searchParams.get('link');
        } catch {
          c.link = null;
        }
        this.requests.push({ at: performance.now(), path, link: c.link });
        if (resetOnRequest) {
          client.resetAndDestroy();
          return;
        }
        this.connectUpstream(c, resetOnResponse, cut);
      }
      c.up?.push({ kind: 'data', at: performance.now(), data: chunk });
    });
    client.on('end', () => {
      c.clientEnded = true;
      c.up?.push({ kind: 'end', at: performance.now() });
    });
  }

  private connectUpstream(c: Connection, resetOnResponse: boolean, cut: () => void): void {
    const upstream = net.connect({ port: this.targetPort, host: this.targetHost, allowHalfOpen: true });
    upstream.setNoDelay(true);
    c.upstream = upstream;
    c.up = new Pipe(upstream, this.shaping.up, this.draw, cut);
    let connected = false;
    let first = true;
    upstream.on('connect', () => {
      connected = true;
    });
    upstream.on('data', (chunk: Buffer) => {
      if (first && resetOnResponse) {
        first = false;
        c.reset();
        return;
      }
      first = false;
      c.down.push({ kind: 'data', at: performance.now(), data: chunk });
    });
    upstream.on('end', () => c.down.push({ kind: 'end', at: performance.now() }));
    upstream.on('error', () => {
      // The server refused (it is down): the client's connection is reset, as by a real L4 proxy.
      if (!connected) c.client.resetAndDestroy();
    });
    upstream.on('close', (hadError) => {
      if (connected && hadError) c.down.push({ kind: 'reset', at: performance.now() });
      c.finish();
    });
  }
}
