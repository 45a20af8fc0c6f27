/**
 * A health listener behind a real `http` server on 127.0.0.1, port 0, closed (every connection
 * with it) after the test by the harness.
 */
import http from 'node:http';
import type { Harness } from '../helpers/harness.js';
import { listen } from '../helpers/servers.js';

/** Serves `handler`; resolves with the port. */
export async function serveHttp(h: Harness, handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  const port = await listen(server);
  h.defer(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return port;
}
