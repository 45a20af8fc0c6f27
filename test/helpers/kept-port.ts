/**
 * A port a test keeps for its whole life, for servers that stop and start again "on the same
 * port" (a bounce, a restarted inspector).
 *
 * Closing a server and listening again on the port it freed is a race: between the two, any other
 * process (a test file running in parallel, an outgoing connection's ephemeral port) can take the
 * port, and the restart fails with EADDRINUSE or, worse, the client talks to a stranger. Here the
 * clients' port never closes: the chaos suite's TCP proxy (../chaos/proxy.ts, a plain
 * pass-through) listens on 127.0.0.1:P from `keepPort()` to `stop()`, and relays every connection
 * to the same port number on another loopback address, BEHIND_HOST:P, where the test's servers
 * come and go. Nobody else can take BEHIND_HOST:P: a wildcard bind of P conflicts with the proxy's
 * listener, the kernel hands P to no ephemeral bind or connect while it is bound, and nothing but
 * these tests listens on BEHIND_HOST. A server that checks its `Host` header (the inspector) sees
 * `127.0.0.1:P`, its own port.
 *
 * What a client sees is real: a server's close reaches it as that server's FIN, close frame or
 * reset, relayed in order; while no server listens behind, a connection is accepted and reset at
 * once (ECONNRESET in Node, a failed WebSocket in a browser), as through any L4 proxy, where a
 * bare closed port would refuse it (ECONNREFUSED).
 */
import { ChaosProxy } from '../chaos/proxy.js';
import { HOST } from './servers.js';

export { BEHIND_HOST } from './servers.js';

export interface KeptPort {
  /** The port clients use, on 127.0.0.1, open until `stop()`. */
  readonly port: number;
  /** Where a server behind it listens: `{ host: BEHIND_HOST, port }` (spread into startWsServer's options). */
  readonly behind: { host: string; port: number };
  /** `ws://127.0.0.1:<port><path>` */
  url(path?: string): string;
  /** `http://127.0.0.1:<port><path>` */
  httpUrl(path?: string): string;
  /** Connections the proxy accepted so far. */
  readonly accepted: number;
  /** Closes the port and every relayed connection. Idempotent. */
  stop(): Promise<void>;
}

/** Opens a kept port (nothing listens behind it yet: connections are reset). */
export async function keepPort(): Promise<KeptPort> {
  const proxy = await ChaosProxy.startKept();
  let stopping: Promise<void> | null = null;
  return {
    port: proxy.port,
    behind: proxy.behind,
    url: (path = '') => `ws://${HOST}:${proxy.port}${path}`,
    httpUrl: (path = '/') => `http://${HOST}:${proxy.port}${path}`,
    get accepted() {
      return proxy.accepted;
    },
    stop() {
      stopping ??= proxy.stop();
      return stopping;
    },
  };
}
