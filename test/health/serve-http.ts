/**
 * A health listener behind a real `http` server on 127.0.0.1, port 0, closed (every connection
 * with it) after the test by the harness.
 */
import http from 'node:http';
import type { Harness } from '../helpers/harness.js';
import { HOST, listen } from '../helpers/servers.js';

/** What one request got back. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection (no keep-alive: nothing lingers after the test). */
export function request(
  port: number,
  method = 'GET',
  path = '/health',
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

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
