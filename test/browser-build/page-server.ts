/**
 * A loopback HTTP server for the browser-build test: the page (with an import map for xstate, the
 * bundle's one external), the built bundles from dist/browser and xstate's ESM files. Nothing
 * else is served; stop() closes every connection.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { listen } from '../helpers/servers.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
};

export const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>linkvisor browser build</title>
<script type="importmap">{ "imports": { "xstate": "/node_modules/xstate/dist/xstate.esm.js" } }</script>
<script type="module">
  import * as linkvisor from '/dist/browser/index.js';
  import ReconnectingWebSocket from '/dist/browser/ws.js';
  window.linkvisor = linkvisor;
  window.DefaultReconnectingWebSocket = ReconnectingWebSocket;
  window.loaded = true;
</script>
`;

export interface PageServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPageServer(root: string): Promise<PageServer> {
  const roots: Record<string, string> = {
    '/dist/browser/': path.join(root, 'dist/browser'),
    '/node_modules/xstate/dist/': path.join(root, 'node_modules/xstate/dist'),
  };
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    for (const [prefix, dir] of Object.entries(roots)) {
      const name = url.pathname.slice(prefix.length);
      if (!url.pathname.startsWith(prefix) || !/^[\w.-]+$/.test(name)) continue;
      try {
        const body = await readFile(path.join(dir, name));
        response.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    response.writeHead(404).end();
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
