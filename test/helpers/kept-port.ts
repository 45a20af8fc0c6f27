/**
 * A port a test keeps for its whole life, for servers that stop and start again "on the same
 * port" (a bounce, a restarted inspector, a server that comes up after the client's first tries).
 *
 * Closing a server and listening again on the port it freed is a race: between the two, any other
 * process (a test file running in parallel, an outgoing connection's ephemeral port) can take the
 * port, and the restart fails with EADDRINUSE or, worse, the client talks to a stranger.
 *
 * Here the port number P is held by a listener on 127.0.0.1:P from `keepPort()` to `stop()`, and
 * the test's servers come and go on another loopback address, BEHIND_HOST:P, where the clients
 * connect directly. Nobody else can take BEHIND_HOST:P meanwhile: a wildcard bind of P conflicts
 * with the holder, the kernel picks P for no ephemeral bind or connect while it is bound, and
 * nothing but these tests listens on BEHIND_HOST (always on a port it holds this way). Nothing
 * stands between client and server: while no server listens, a connection is refused by the
 * kernel (ECONNREFUSED), as on a closed port; a server's close is its own.
 */
import net from 'node:net';
import { BEHIND_HOST, freedPort, HOST, KEPT_PORTS, listen } from './servers.js';

export { BEHIND_HOST } from './servers.js';

export interface KeptPort {
  /** The port number, held from `keepPort()` to `stop()`. */
  readonly port: number;
  /** Where a server listens and clients connect: `{ host: BEHIND_HOST, port }` (spread into startWsServer's options). */
  readonly behind: { host: string; port: number };
  /** `ws://BEHIND_HOST:<port><path>` */
  url(path?: string): string;
  /** Releases the port. Idempotent. */
  stop(): Promise<void>;
}

/** Holds a port number (nothing listens on BEHIND_HOST:port yet: connections are refused). */
export async function keepPort(): Promise<KeptPort> {
  if (!KEPT_PORTS) {
    // Not Linux (servers.ts, KEPT_PORTS): a port freed just before, not held.
    const port = await freedPort();
    return {
      port,
      behind: { host: BEHIND_HOST, port },
      url: (path = '') => `ws://${BEHIND_HOST}:${port}${path}`,
      stop: () => Promise.resolve(),
    };
  }
  // The holder is never a client's destination; anything that reaches it is ended at once.
  const holder = net.createServer((socket) => socket.destroy());
  const port = await listen(holder, 0, HOST);
  let stopping: Promise<void> | null = null;
  return {
    port,
    behind: { host: BEHIND_HOST, port },
    url: (path = '') => `ws://${BEHIND_HOST}:${port}${path}`,
    stop() {
      stopping ??= new Promise<void>((resolve) => holder.close(() => resolve()));
      return stopping;
    },
  };
}
