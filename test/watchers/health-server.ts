/**
 * A real HTTP server on 127.0.0.1 (port 0) for the watcher tests' probes: every request is answered
 * with the server's current `status` (set it at any time) and a short body, `connection: close`.
 * Every server started in a test is closed after it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface HealthServer {
  /** `http://127.0.0.1:<port>/health`. */
  readonly url: string;
  /** The status of the next answers. */
  status: number;
}

/** Registers the cleanup; the returned function starts a server answering `status`. */
export function useHealthServer(): (status: number, body?: string) => Promise<HealthServer> {
  const servers: Server[] = [];
  afterEach(async () => {
    const closing = servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    await Promise.all(closing);
  });
  return async (status, body = 'body') => {
    const server = createServer((_request, response) => {
      response.statusCode = health.status;
      response.setHeader('connection', 'close');
      response.end(body);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const health: HealthServer = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
      status,
    };
    return health;
  };
}
