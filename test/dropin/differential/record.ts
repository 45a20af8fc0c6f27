/**
 * What the differential harness records of one scenario run against one implementation, and the
 * context a scenario drives it through. A scenario only touches the common surface (constructor,
 * send / close / reconnect, listeners, getters) and loopback servers; everything it observes goes
 * into a `Recording` of plain strings, so that the recordings of partysocket 1.3.0,
 * reconnecting-websocket 4.4.0 and linkvisor/ws can be compared field by field.
 *
 * Waits are bounded by deadlines and conditions, never by an exact sleep: `until` waits for a
 * condition, `settle` gives "nothing more happens" a window several times the longest retry delay.
 */
import type { WebSocket as ServerSocket } from 'ws';
import { type KeptPort, keepPort } from '../../helpers/kept-port.js';
import {
  BEHIND_HOST,
  HOST,
  type NetTestServer,
  rejectUpgrade,
  startNetServer,
  startUpgradeServer,
  startWsServer,
  type UpgradeTestServer,
  type WsTestServer,
} from '../../helpers/servers.js';

/** The fields compared between implementations. */
export const FIELDS = ['events', 'returns', 'server', 'console', 'crash'] as const;
export type Field = (typeof FIELDS)[number];

/** One scenario's observations; every entry a short string. */
export type Recording = Record<Field, string[]>;

export function emptyRecording(): Recording {
  return { events: [], returns: [], server: [], console: [], crash: [] };
}

/** The surface the three implementations share (members some lack are optional). */
export interface SocketLike {
  readonly readyState: number;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  readonly retryCount: number;
  binaryType: string;
  send(data: string | ArrayBuffer | ArrayBufferView): unknown;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  drainQueuedMessages?: () => unknown[];
  readonly shouldReconnect?: boolean;
}

export type SocketClass = new (
  url: unknown,
  protocols?: unknown,
  options?: Record<string, unknown>,
) => SocketLike;

/** A loopback server of a scenario: what it saw goes into the `server` field at the end. */
export interface ScenarioServer {
  readonly port: number;
  readonly url: string;
  /** Completed WebSocket connections (upgrades for an upgrade server, TCP for a silent one). */
  readonly connections: number;
  /** Text of the messages received, in order (binary as `<N bytes>`). */
  readonly received: string[];
  /** Close codes the server saw from clients. */
  readonly closeCodes: number[];
  /** Server-side sockets still open. */
  readonly open: number;
  stop(): Promise<void>;
}

export interface WsServerSpec {
  port?: number;
  /** The loopback address (default HOST; a kept port's: `...kept.behind`). */
  host?: string;
  /** Called per connection with its 1-based number: close it with a code, or send something. */
  onConnection?: (ws: ServerSocket, n: number) => void;
  /** Answers every received text message `more` with 3 binary bytes. */
  binaryOnRequest?: boolean;
}

/** Options every scenario starts from: a short retry schedule, the ws package as WebSocket. */
export interface ScenarioContext {
  /** Short, capped schedule (max delay `maxDelayMs`), the `ws` class; `extra` on top. */
  options(extra?: Record<string, unknown>): Record<string, unknown>;
  readonly maxDelayMs: number;
  /** Constructs a socket whose events (type, readyState at dispatch, code, wasClean, reason) are
   * recorded; it is closed when the scenario ends. */
  make(url: unknown, protocols?: unknown, options?: Record<string, unknown>): SocketLike;
  wsServer(spec?: WsServerSpec): Promise<ScenarioServer>;
  /** Accepts TCP and never answers the upgrade. */
  silentServer(): Promise<ScenarioServer>;
  /** Answers every upgrade with an HTTP status. */
  statusServer(status: number): Promise<ScenarioServer>;
  /**
   * A port kept until the scenario ends (../../helpers/kept-port.ts): refused until a server listens
   * behind it (`wsServer({ ...kept.behind })`), and no other process can take it in between (a port
   * freed by a stop is anyone's until a server listens on it again).
   */
  keptPort(): Promise<KeptPort>;
  /** Runs `fn`, recording `> label` before and `< label = result` after in the event log (so
   * events dispatched inside the call show between them) and `label = result` in `returns`. */
  call(label: string, fn: () => unknown): unknown;
  /** Records a value in `returns`. */
  note(label: string, value: unknown): void;
  /** The getters, in `returns`. */
  snapshot(label: string, socket: SocketLike): void;
  /** Waits for `cond`; past `timeoutMs` records `timeout: label` (in `events`) and goes on. */
  until(label: string, cond: () => boolean, timeoutMs?: number): Promise<boolean>;
  /** Waits for `cond` up to `timeoutMs` and records nothing either way (for "may not happen"). */
  within(cond: () => boolean, timeoutMs: number): Promise<boolean>;
  /** A window for "nothing more happens": several times the longest retry delay. */
  settle(factor?: number): Promise<void>;
  /** Every socket made is CLOSED and no server has a connection open (what close() leads to in
   * every implementation, however long a busy machine takes; its close frames have arrived). */
  allClosed(): boolean;
  /** Count of recorded events of `type` so far. */
  count(type: string): number;
  /** Text recorded by the debug logger passed with `debugLogger`. */
  readonly debugLines: string[];
}

export interface Scenario {
  name: string;
  /** What the scenario exercises, in a few words (printed in the table). */
  about: string;
  run(ctx: ScenarioContext): Promise<void>;
}

const EVENT_TYPES = ['open', 'message', 'close', 'error'] as const;

const LOOPBACK_PORT = new RegExp(
  `(?:${[HOST, BEHIND_HOST].map((a) => a.replaceAll('.', '\\.')).join('|')}):\\d+`,
  'g',
);

/** Replaces loopback ports (HOST's, a kept port's) so recordings of different runs compare. */
export function portless(text: string): string {
  return text.replace(LOOPBACK_PORT, 'HOST');
}

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(portless(value));
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`;
  if (Array.isArray(value)) return `[${value.map(show).join(',')}]`;
  if (value instanceof Error) return `Error(${portless(value.message)})`;
  return portless(String(value));
}

function dataKind(data: unknown): string {
  if (typeof data === 'string') return JSON.stringify(data);
  if (typeof Blob !== 'undefined' && data instanceof Blob) return 'Blob';
  if (data instanceof ArrayBuffer) return 'ArrayBuffer';
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(data)) return 'Buffer';
  return typeof data;
}

function eventLine(event: Record<string, unknown>, readyState: number): string {
  const type = String(event.type);
  if (type === 'close') {
    const clean = event.wasClean ? 'clean' : 'unclean';
    return `close@${readyState}:${String(event.code)}:${clean}:${JSON.stringify(event.reason ?? '')}`;
  }
  if (type === 'message') return `message@${readyState}:${dataKind(event.data)}`;
  return `${type}@${readyState}`;
}

/** Builds the context for one run; `finish()` closes what the scenario opened and fills `server`. */
export function createContext(Impl: SocketClass, WS: unknown, recording: Recording) {
  let live = true;
  const sockets: SocketLike[] = [];
  const servers: { name: string; server: ScenarioServer }[] = [];
  const keptPorts: KeptPort[] = [];
  const debugLines: string[] = [];
  const maxDelayMs = 160;
  const counts = new Map<string, number>();

  const track = (name: string, server: ScenarioServer) => {
    servers.push({ name, server });
    return server;
  };

  const ctx: ScenarioContext = {
    maxDelayMs,
    debugLines,
    options: (extra = {}) => ({
      WebSocket: WS,
      minReconnectionDelay: 40,
      maxReconnectionDelay: maxDelayMs,
      reconnectionDelayGrowFactor: 1.3,
      // A hang guard, not a bound any scenario waits out (only 'connection timeout' sets its own,
      // 200 ms on a server that never answers). reconnecting-websocket 4.4 throws an uncaught
      // exception whenever its timeout fires ("WebSocket was closed before the connection was
      // established", no-crash): with 1.5 s here, a loopback connect that a busy machine held
      // back longer (seen once at load 5–7) was a crash in a scenario that allows none.
      connectionTimeout: 30_000,
      minUptime: 5_000,
      ...extra,
    }),
    make(url, protocols, options) {
      const withLogger =
        options && 'debugLogger' in options
          ? { ...options, debugLogger: (...args: unknown[]) => debugLines.push(args.map(String).join(' ')) }
          : options;
      const socket = new Impl(url, protocols, withLogger);
      sockets.push(socket);
      for (const type of EVENT_TYPES) {
        socket.addEventListener(type, ((event: Record<string, unknown>) => {
          if (!live) return;
          counts.set(type, (counts.get(type) ?? 0) + 1);
          recording.events.push(eventLine(event, socket.readyState));
        }) as never);
      }
      return socket;
    },
    async wsServer(spec = {}) {
      const received: string[] = [];
      const closeCodes: number[] = [];
      let server: WsTestServer | null = null;
      server = await startWsServer({
        ...(spec.port === undefined ? {} : { port: spec.port }),
        ...(spec.host === undefined ? {} : { host: spec.host }),
        onConnection: (ws) => {
          ws.on('message', (data, isBinary) => {
            received.push(isBinary ? `<${(data as Buffer).length} bytes>` : String(data));
            if (spec.binaryOnRequest && String(data) === 'more') ws.send(new Uint8Array([1, 2, 3]));
          });
          ws.on('close', (code) => closeCodes.push(code));
          spec.onConnection?.(ws, server?.connections ?? 0);
        },
      });
      const s = server;
      return track('ws', {
        port: s.port,
        url: s.url,
        get connections() {
          return s.connections;
        },
        received,
        closeCodes,
        get open() {
          return s.clients.size;
        },
        stop: () => s.stop(),
      });
    },
    async silentServer() {
      const s: NetTestServer = await startNetServer(() => {});
      return track('silent', {
        port: s.port,
        url: `ws://${HOST}:${s.port}`,
        get connections() {
          return s.connections;
        },
        received: [],
        closeCodes: [],
        get open() {
          return s.sockets.size;
        },
        stop: () => s.stop(),
      });
    },
    async statusServer(status) {
      const s: UpgradeTestServer = await startUpgradeServer((_request, socket) =>
        rejectUpgrade(socket, status, 'Refused'),
      );
      return track(`http ${status}`, {
        port: s.port,
        url: s.url,
        get connections() {
          return s.upgrades;
        },
        received: [],
        closeCodes: [],
        open: 0,
        stop: () => s.stop(),
      });
    },
    async keptPort() {
      const kept = await keepPort();
      keptPorts.push(kept);
      return kept;
    },
    call(label, fn) {
      recording.events.push(`> ${label}`);
      let result: unknown;
      try {
        result = fn();
      } catch (error) {
        result = error instanceof Error ? error : new Error(String(error));
      }
      recording.events.push(`< ${label}`);
      recording.returns.push(`${label} = ${show(result)}`);
      return result;
    },
    note(label, value) {
      recording.returns.push(`${label} = ${show(value)}`);
    },
    snapshot(label, s) {
      const should = 'shouldReconnect' in s ? String(s.shouldReconnect) : 'n/a';
      recording.returns.push(
        `${label}: readyState=${s.readyState} url=${show(s.url)} protocol=${show(s.protocol)} ` +
          `extensions=${show(s.extensions)} bufferedAmount=${s.bufferedAmount} retryCount=${s.retryCount} ` +
          `shouldReconnect=${should}`,
      );
    },
    async until(label, cond, timeoutMs = 5_000) {
      const ok = await ctx.within(cond, timeoutMs);
      if (!ok) recording.events.push(`timeout: ${label}`);
      return ok;
    },
    async within(cond, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!cond()) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return true;
    },
    async settle(factor = 3) {
      await new Promise((resolve) => setTimeout(resolve, factor * maxDelayMs));
    },
    count: (type) => counts.get(type) ?? 0,
    allClosed: () =>
      sockets.every((socket) => socket.readyState === 3) && servers.every(({ server }) => server.open === 0),
  };

  /** Closes the scenario's sockets and servers; fills `server` with what each server saw. */
  async function finish(): Promise<void> {
    live = false;
    for (const { name, server } of servers) {
      recording.server.push(
        `${name}: connections=${server.connections} received=${show(server.received)} closeCodes=${show(server.closeCodes)}`,
      );
    }
    for (const socket of sockets) {
      try {
        socket.close();
      } catch {
        // a socket that cannot close is the implementation's business; the servers stop anyway
      }
    }
    await Promise.all(servers.map(({ server }) => server.stop()));
    await Promise.all(keptPorts.map((kept) => kept.stop()));
  }

  return { ctx, finish };
}
