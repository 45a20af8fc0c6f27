/**
 * The benchmark server, in a process of its own: a plain `ws` server on 127.0.0.1 (no
 * compression), either echoing every message (`echo`), echoing through resumable sessions
 * (`resume`, linkvisor/server) or holding connections open (`hold`).
 * Controlled over IPC by bench/run.ts:
 *   → { type: 'listening', port }
 *   ← { type: 'restart', downMs }   terminate every client, stop listening for downMs, listen again
 *   → { type: 'restarted', at, upAt }  (wall-clock ms)
 *   ← { type: 'accepts' }            → { type: 'accepts', times }  TCP accepts since the restart
 *   ← { type: 'stop' }               exit
 */
import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer } from 'ws';
import { resumable } from '../src/server/index.js';
import { RESUME_BENCH_MAX_BYTES } from './resume-limits.js';

const mode = process.argv[2] ?? 'echo';
const wall = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => process.send?.(message);

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
if (mode === 'resume') {
  // Every session echoes what it receives, through the resume protocol (linkvisor/server).
  // Replay buffers larger than what the bench keeps in flight (500 × 4 KiB = 2 MiB each way).
  resumable(wss, { maxBytes: RESUME_BENCH_MAX_BYTES }).on('session', (session) =>
    session.on('message', (data) => session.send(data)),
  );
} else {
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    if (mode === 'echo') ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
  });
}

let accepts: number[] = [];
let server: http.Server;
const sockets = new Set<net.Socket>();

function listen(port: number): Promise<number> {
  server = http.createServer((_req, res) => res.writeHead(426).end());
  server.on('connection', (socket) => {
    accepts.push(wall());
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

const port = await listen(0);
send({ type: 'listening', port });

process.on('message', async (message: { type: string; downMs?: number }) => {
  if (message.type === 'restart') {
    const at = wall();
    accepts = [];
    server.close();
    for (const ws of wss.clients) ws.terminate();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, message.downMs ?? 0));
    await listen(port);
    send({ type: 'restarted', at, upAt: wall() });
  } else if (message.type === 'accepts') {
    send({ type: 'accepts', times: accepts });
  } else if (message.type === 'stop') {
    process.exit(0);
  }
});
