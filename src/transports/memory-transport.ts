/**
 * An in-process network for tests and examples: servers listen on `mem://` URLs, clients connect
 * through `network.transport`. No sockets, no I/O; delivery is asynchronous (a microtask, or the
 * clock when latency is set), so ordering and re-entrancy behave as over a real socket.
 *
 * Fault controls on a server: refuse (with an error, an HTTP status or a close code), stall
 * (accept nothing, answer nothing), drop every peer (with a close code, 1006 = connection reset),
 * stop answering pings, and per-message latency (a slow peer).
 *
 * `inProcess: true` (the default) makes links skip connecting/handshaking (idle → ready), the fast
 * path of the chart; `inProcess: false` gives the full lifecycle, with open delivered later.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkClock, checkKnownKeys } from '../util/option-checks.js';
import { ClosureConnection } from './closure-connection.js';
import { checkListenUrl, checkPeerClose, checkRefuseWith } from './memory-checks.js';
import {
  type MemoryServer,
  type PeerImpl,
  type PendingConnection,
  type RefuseWith,
  ServerImpl,
} from './memory-server.js';
import {
  callsHandlersAsMethods,
  type Transport,
  type TransportContext,
  type TransportHandlers,
  type TransportTarget,
} from './transport.js';

export type { MemoryPeer, MemoryServer, PendingConnection, RefuseWith } from './memory-server.js';

/** Options of `createMemoryNetwork`: its clock and whether links skip connecting (in-process). */
export interface MemoryNetworkOptions {
  /** Clock for latency; defaults to the system clock (pass the supervisor's test clock). */
  clock?: Clock;
  /** Links skip connecting and handshaking (idle → ready). Default true. A link is then ready
   * before its server answers: `ready()` resolves even if it refuses (the refusal follows as
   * `lost`); use `false` to test connect failures. */
  inProcess?: boolean;
}

/**
 * In-process servers and the transport that reaches them: give `transport` to a supervisor,
 * `listen(url)` for a server.
 */
export interface MemoryNetwork {
  readonly transport: Transport;
  listen(url: string): MemoryServer;
  server(url: string): MemoryServer | undefined;
}

/**
 * Creates an in-memory network for tests: servers on `mem://` URLs with fault controls, and the
 * transport that connects links to them (docs/testing.md).
 */
export function createMemoryNetwork(options: MemoryNetworkOptions = {}): MemoryNetwork {
  const { clock, inProcess } = checkNetworkOptions(options);
  const servers = new Map<string, ServerImpl>();

  const transport: Transport = {
    name: 'memory',
    inProcess,
    protocolPing: true,
    schemes: ['mem:'],
    pausable: true,
    connect(target: TransportTarget, handlers: TransportHandlers, _context: TransportContext) {
      // As a real server answers any query: the token a link carries there is for it to read.
      const server = servers.get(target.url) ?? servers.get(target.url.replace(/[?#].*$/s, ''));
      let peer: PeerImpl | null = null;
      let ended = false;
      // The latency's connect timer: a client gone before it fires leaves no timer behind.
      let connectTimer: unknown;
      const cancelConnect = () => {
        if (connectTimer !== undefined) clock.clearTimeout(connectTimer);
        connectTimer = undefined;
      };
      const end = (reason: Reason) => {
        if (ended) return;
        ended = true;
        cancelConnect();
        handlers.closed(reason);
      };
      // While the client holds reading paused (pause()), messages and pongs wait here, in order, as
      // they would in a socket's buffers; a close or a reset is not held.
      let unread: (() => void)[] | null = null;
      const read = (delivery: () => void) => {
        if (unread) unread.push(delivery);
        else delivery();
      };
      const guarded: TransportHandlers = {
        open: (info) => !ended && handlers.open(info),
        message: (data) => read(() => !ended && handlers.message(data)),
        pong: () => read(() => !ended && handlers.pong()),
        closed: end,
        error: () => !ended && handlers.error?.(),
      };
      let held: PendingConnection | null = null;
      const refuseWith = (how: RefuseWith) => {
        if ('error' in how) {
          end({ kind: 'error', errorCode: how.error, message: `connect ${how.error}` });
        } else if ('status' in how) {
          end({
            kind: 'http',
            status: how.status,
            message: `upgrade rejected with HTTP ${how.status}`,
            ...(how.retryAfterSeconds === undefined ? {} : { retryAfterMs: how.retryAfterSeconds * 1000 }),
          });
        } else {
          const opened = open();
          opened?.close(how.code, how.reason);
        }
      };
      const open = (): PeerImpl | null => {
        if (ended || !server) return null;
        peer = server.attach(target, guarded);
        guarded.open({ protocol: target.protocols[0] ?? '', extensions: '' });
        return peer;
      };
      const connectNow = () => {
        connectTimer = undefined;
        if (ended) return;
        if (!server?.listening) {
          end({ kind: 'error', errorCode: 'ECONNREFUSED', message: `connect ECONNREFUSED ${target.url}` });
          return;
        }
        server.attempts++;
        if (server.stalled) return; // hangs: the connect timeout must catch it
        if (server.held) {
          const decided = () => {
            const index = server.pending.indexOf(pending);
            if (index < 0) return false;
            server.pending.splice(index, 1);
            return !ended;
          };
          const pending: PendingConnection = {
            url: target.url,
            accept: () => (decided() ? open() : null),
            refuse: (how = { error: 'ECONNREFUSED' }) => {
              const checked = checkRefuseWith(how);
              if (decided()) refuseWith(checked);
            },
            reset: () => {
              if (decided()) end({ kind: 'error', errorCode: 'ECONNRESET', message: 'read ECONNRESET' });
            },
            fail: (reason) => {
              if (decided()) end(reason);
            },
          };
          server.pending.push(pending);
          held = pending;
          return;
        }
        if (server.refused) refuseWith(server.refused);
        else open();
      };
      // In-process: open before the chart's entry actions run their course; otherwise later.
      if (inProcess) connectNow();
      else if (server && server.latencyMs > 0) connectTimer = clock.setTimeout(connectNow, server.latencyMs);
      else queueMicrotask(connectNow);

      let releaseDrain: (() => void) | null = null;
      let drainReleased = false;
      return new ClosureConnection({
        send(data) {
          if (!peer?.open || ended) return false;
          peer.deliver(data);
          return true;
        },
        ping() {
          if (!peer?.open || ended) return false;
          peer.ping();
          return true;
        },
        close(code, reason) {
          const p = peer;
          if (!p?.open) {
            end({ kind: 'close', code: 1006, message: 'closed before open' });
            return;
          }
          // A close frame `ws` refuses to write throws, as ws's close() does (nothing is closed).
          checkPeerClose(code, reason ?? '');
          p.closedByClient();
          p.closeCode = code;
          // The server echoes the close frame (at once, or when the test says so: holdCloses()).
          const echo = () =>
            end({ kind: 'close', code, message: `closed with code ${code}${reason ? `: ${reason}` : ''}` });
          if (server?.closesHeld) server.closeQueue.push({ peer: p, echo });
          else server?.later(echo);
        },
        pause() {
          unread ??= [];
        },
        resume() {
          const waiting = unread ?? [];
          unread = null;
          while (waiting.length > 0 && !unread) waiting.shift()?.();
          // Paused again by a delivery: the rest waits, before anything newer.
          if (unread) unread = [...waiting, ...unread];
        },
        terminate() {
          ended = true;
          cancelConnect();
          peer?.gone();
          // A pending attempt of a terminated client is gone too.
          if (server && held) server.pending = server.pending.filter((p) => p !== held);
        },
        // Nothing is ever buffered, unless the test holds the drains (holdDrains()): then a
        // connection read for its buffer reads 1 until completeDrains() releases it.
        buffered() {
          if (!server?.drainsHeld || drainReleased) return 0;
          if (!releaseDrain) {
            releaseDrain = () => {
              drainReleased = true;
            };
            server.drainsWaiting.add(releaseDrain);
          }
          return 1;
        },
      });
    },
  };
  // It calls its handlers as methods (`handlers.open(info)`): the runtime may pass its attempt.
  callsHandlersAsMethods(transport.connect);

  return {
    transport,
    listen(given: string) {
      const url = checkListenUrl(given, servers);
      // Closing it again later must not forget a newer server on the same URL.
      const server = new ServerImpl(url, clock, () => {
        if (servers.get(url) === server) servers.delete(url);
      });
      servers.set(url, server);
      return server;
    },
    server: (url) => servers.get(url),
  };
}

const NETWORK_KEYS: ReadonlySet<string> = new Set(['clock', 'inProcess']);

/** `createMemoryNetwork`'s options, checked (LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming
 * the option): a misspelt `clock` would run the network's latency on real time, unnoticed. */
function checkNetworkOptions(options: MemoryNetworkOptions): { clock: Clock; inProcess: boolean } {
  const given: unknown = options;
  if (!isRecord(given)) throw optionError('options', `must be an object, got ${describe(given)}`);
  checkKnownKeys(given, NETWORK_KEYS, '');
  if (given.clock !== undefined) checkClock(given.clock, 'clock');
  if (given.inProcess !== undefined && typeof given.inProcess !== 'boolean')
    throw optionError('inProcess', `must be a boolean, got ${describe(given.inProcess)}`);
  return { clock: options.clock ?? systemClock, inProcess: options.inProcess ?? true };
}
