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
 * Randomness (slice sizes) comes from a seeded PRNG: a run can be replayed.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { nextRandom, type RandomState, seedRandom } from '../../machines/policy/random.js';
import { HOST, listen } from '../helpers/servers.js';

export type Way = 'up' | 'down';
export type Ways = Way | 'both';

export type ResetPoint = 'none' | 'accept' | 'request' | 'response';

interface Shaping {
  held: boolean;
  latencyMs: number;
  bytesPerSec: number;
  slice: { min: number; max: number } | null;
  finDelayMs: number;
}

/** Throttled data moves in pieces of at most this many bytes (about one TCP segment). */
const BANDWIDTH_PIECE_BYTES = 1024;

type Item =
  | { kind: 'data'; at: number; data: Buffer }
  | { kind: 'end'; at: number }
  | { kind: 'reset'; at: number };

function ways(w: Ways): Way[] {
  return w === 'both' ? ['up', 'down'] : [w];
}

/** One direction of one connection: a FIFO of chunks, FINs and RSTs, shaped on the way out. */
class Pipe {
  private items: Item[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private nextFreeAt = 0;
  /** Size of the head piece, drawn once (slicing, throttling). */
  private piece: number | null = null;
  private disposed = false;
  /** Bytes written to the destination so far. */
  forwarded = 0;
  /** Forwarded-byte offset at which the connection is cut (null: never). */
  cutAt: number | null = null;

  constructor(
    private readonly dst: net.Socket,
    private readonly shaping: Shaping,
    private readonly draw: (min: number, max: number) => number,
    private readonly onCut: () => void,
  ) {}

  /** Bytes, FINs and RSTs waiting (held by a blackhole, delayed or throttled). */
  get waiting(): number {
    return this.items.length;
  }

  push(item: Item): void {
    if (this.disposed) return;
    this.items.push(item);
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.items = [];
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** Writes what is due; schedules itself (one timer or one immediate at most) for the rest. */
  pump = (): void => {
    if (this.timer || this.immediate || this.disposed) return;
    const s = this.shaping;
    for (let guard = 0; guard < 100_000 && this.items.length > 0; guard++) {
      if (s.held) return; // heal() pumps again
      if (this.dst.destroyed) {
        this.items = [];
        return;
      }
      const item = this.items[0] as Item;
      const now = performance.now();
      let due = item.at + s.latencyMs;
      if (item.kind === 'end') due += s.finDelayMs;
      let n = 0;
      if (item.kind === 'data') {
        // The size of the next piece is drawn once and kept while the piece waits.
        if (this.piece === null) {
          let size = item.data.length;
          if (s.slice) size = Math.min(size, this.draw(s.slice.min, s.slice.max));
          if (s.bytesPerSec > 0) size = Math.min(size, BANDWIDTH_PIECE_BYTES);
          this.piece = size;
        }
        n = Math.min(this.piece, item.data.length);
        // A throttled piece is delivered when its last byte has gone through the bottleneck.
        if (s.bytesPerSec > 0) due = Math.max(due, this.nextFreeAt) + (n * 1000) / s.bytesPerSec;
      }
      if (due > now + 0.5) {
        this.timer = setTimeout(
          () => {
            this.timer = null;
            this.pump();
          },
          Math.max(1, Math.ceil(due - now)),
        );
        return;
      }
      if (item.kind === 'end') {
        this.items.shift();
        this.dst.end();
        continue;
      }
      if (item.kind === 'reset') {
        this.items.shift();
        this.dst.resetAndDestroy();
        continue;
      }
      this.piece = null;
      if (s.bytesPerSec > 0) this.nextFreeAt = Math.max(due, now);
      if (this.cutAt !== null && this.forwarded + n >= this.cutAt) {
        const part = this.cutAt - this.forwarded;
        if (part > 0) this.dst.write(item.data.subarray(0, part));
        this.forwarded += part;
        this.items = [];
        this.onCut();
        return;
      }
      const piece = n < item.data.length ? item.data.subarray(0, n) : item.data;
      if (n < item.data.length) item.data = item.data.subarray(n);
      else this.items.shift();
      this.dst.write(piece);
      this.forwarded += n;
      if (s.slice) {
        // The next piece in a later loop turn, so the reader sees it in a read of its own.
        this.immediate = setImmediate(() => {
          this.immediate = null;
          this.pump();
        });
        return;
      }
    }
  };
}

export interface ProxyConnection {
  readonly id: number;
  readonly acceptedAt: number;
  /** Path and query of the HTTP request line (null until the first bytes arrived). */
  readonly path: string | null;
  /** The `link` query parameter of the request, if any. */
  readonly link: string | null;
  readonly client: net.Socket;
  readonly upstream: net.Socket | null;
  /** Bytes forwarded so far, per direction. */
  forwarded(way: Way): number;
  /** RST both sides now. */
  reset(): void;
  /** Forwards `afterBytes` more bytes in `way`, then destroys both sides. */
  cut(afterBytes: number, way?: Way): void;
}

class Connection implements ProxyConnection {
  path: string | null = null;
  link: string | null = null;
  upstream: net.Socket | null = null;
  up: Pipe | null = null;
  down!: Pipe;
  /** The client sent its FIN. */
  clientEnded = false;
  private over = false;

  constructor(
    readonly id: number,
    readonly client: net.Socket,
    readonly acceptedAt: number,
    private readonly onOver: (c: Connection) => void,
  ) {}

  forwarded(way: Way): number {
    return (way === 'up' ? this.up?.forwarded : this.down.forwarded) ?? 0;
  }

  reset(): void {
    this.client.resetAndDestroy();
    this.upstream?.resetAndDestroy();
    this.finish();
  }

  cut(afterBytes: number, way: Way = 'down'): void {
    const pipe = way === 'up' ? this.up : this.down;
    if (!pipe) return;
    pipe.cutAt = pipe.forwarded + afterBytes;
    pipe.pump();
  }

  /** Both sockets are closed (or never will be used): forget the connection. */
  finish(): void {
    if (this.over) return;
    if (!this.client.destroyed || (this.upstream && !this.upstream.destroyed)) return;
    this.over = true;
    this.up?.dispose();
    this.down.dispose();
    this.onOver(this);
  }

  /** Destroys both sockets at once (the proxy is stopping). */
  destroy(): void {
    this.client.destroy();
    this.upstream?.destroy();
    this.finish();
  }
}

export interface ChaosProxyOptions {
  /** Where the server listens (127.0.0.1). */
  targetPort: number;
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
  ) {
    this.server = server;
    this.random = seedRandom(seed);
  }

  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const server = ChaosProxy.createServer();
    const port = await listen(server, options.port ?? 0);
    const proxy = new ChaosProxy(options.targetPort, port, server, options.seed ?? 1);
    server.on('connection', (socket) => proxy.onConnection(socket));
    return proxy;
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
    const upstream = net.connect({ port: this.targetPort, host: HOST, allowHalfOpen: true });
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
