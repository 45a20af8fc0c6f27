/**
 * A Node stand-in for the inspector page: connects to `/ws` like the page does (no Origin, as a
 * non-browser client; or any headers a test wants), records every message, and waits for one.
 */
import WebSocket from 'ws';
import type { PageMessage, ServerMessage } from '../../src/inspector/index.js';
import { waitFor } from '../helpers/wait.js';

export interface PageClient {
  ws: WebSocket;
  messages: ServerMessage[];
  /** Every frame as received, for scanning. */
  raw: string[];
  send(message: PageMessage): void;
  next<T extends ServerMessage['type']>(
    type: T,
    where?: (m: Extract<ServerMessage, { type: T }>) => boolean,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  close(): Promise<void>;
}

export function wsUrlOf(pageUrl: string): string {
  const url = new URL(pageUrl);
  return `ws://${url.host}/ws${url.search}`;
}

export async function connectPage(
  pageUrl: string,
  headers: Record<string, string> = {},
): Promise<PageClient> {
  const ws = new WebSocket(wsUrlOf(pageUrl), { headers });
  const messages: ServerMessage[] = [];
  const raw: string[] = [];
  ws.on('message', (data) => {
    raw.push(String(data));
    messages.push(JSON.parse(String(data)) as ServerMessage);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seen = 0;
  return {
    ws,
    messages,
    raw,
    send: (message) => ws.send(JSON.stringify(message)),
    async next(type, where = () => true) {
      return waitFor(
        () => {
          for (let i = seen; i < messages.length; i++) {
            const m = messages[i];
            if (m?.type === type && where(m as never)) {
              seen = i + 1;
              return m as never;
            }
          }
          return undefined;
        },
        { message: `a '${type}' message`, timeoutMs: 8_000 },
      );
    },
    close() {
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    },
  };
}

/** Status code of a plain GET with the given headers. */
export async function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Connection: 'close', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Status code the server answers a WebSocket upgrade with (101 when it accepts). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(String(error))) reject(error);
    });
  });
}
