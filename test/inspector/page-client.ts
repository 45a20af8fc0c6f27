/**
 * A Node stand-in for the inspector page: connects to `/ws` like the page does (no Origin, as a
 * non-browser client; or any headers a test wants), records every message, acknowledges every
 * batch as the page does, and waits for one. `select` follows an actor in full; `nextRecord` and
 * `nextActor` wait for a record or an actor's state in hello or a batch.
 */
import WebSocket from 'ws';
import type {
  ActorDetail,
  ActorStatus,
  PageMessage,
  ServerMessage,
  TransitionRecord,
} from '../../src/inspector/index.js';
import { waitFor } from '../helpers/wait.js';

/** How long a page waits for a message, record or actor: a hang guard, not a claim. A page's hello
 * waits for every chart's layout in the worker, cold: 8 s failed 12 tests in `npm test` at load
 * 14–20 (round 23 (load)) and two in the CI run of b4d651f at load 15–16; the hello came after
 * 8.5 s at load 16. */
const PAGE_WAIT_MS = 60_000;

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
  /** Follows `actor` in full (figures, timeline). */
  select(actor: string | null): void;
  /** The next record of a followed actor that matches. */
  nextRecord(where: (record: TransitionRecord) => boolean): Promise<TransitionRecord>;
  /** The next time an actor is listed (hello, added, changed) and matches. */
  nextActor(
    where: (actor: { id: string; state: string; leaf: string; status: ActorStatus }) => boolean,
  ): Promise<{ id: string; state: string; leaf: string }>;
  /** Every detail received so far (hello and batches), in order. */
  details(): ActorDetail[];
  close(): Promise<void>;
}

export function wsUrlOf(pageUrl: string): string {
  const url = new URL(pageUrl);
  return `ws://${url.host}/ws${url.search}`;
}

export async function connectPage(
  pageUrl: string,
  headers: Record<string, string> = {},
  options: { ack?: boolean } = {},
): Promise<PageClient> {
  const ws = new WebSocket(wsUrlOf(pageUrl), { headers });
  const messages: ServerMessage[] = [];
  const raw: string[] = [];
  ws.on('message', (data) => {
    raw.push(String(data));
    const message = JSON.parse(String(data)) as ServerMessage;
    messages.push(message);
    if (message.type === 'batch' && options.ack !== false) {
      ws.send(JSON.stringify({ type: 'ack', seq: message.seq } satisfies PageMessage));
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seen = 0;
  let recordsSeen = 0;
  let actorsSeen = 0;
  const details = () => messages.flatMap((m) => (m.type === 'hello' || m.type === 'batch' ? m.details : []));
  const records = () => details().flatMap((d) => d.records);
  const listed = () =>
    messages.flatMap((m) => {
      if (m.type === 'hello') return m.actors;
      if (m.type !== 'batch') return [];
      return [
        ...m.added,
        ...m.changed.map(([id, leaf, state, status]) => ({ id, leaf, state, status })),
        ...m.details.map((d) => d.actor),
      ];
    });
  return {
    ws,
    messages,
    raw,
    send: (message) => ws.send(JSON.stringify(message)),
    select: (actor) => ws.send(JSON.stringify({ type: 'select', actor } satisfies PageMessage)),
    details,
    nextRecord(where) {
      return waitFor(
        () => {
          const all = records();
          for (let i = recordsSeen; i < all.length; i++) {
            const record = all[i] as TransitionRecord;
            if (where(record)) {
              recordsSeen = i + 1;
              return record;
            }
          }
          return undefined;
        },
        { message: 'a matching record', timeoutMs: PAGE_WAIT_MS },
      );
    },
    nextActor(where) {
      return waitFor(
        () => {
          const all = listed();
          for (let i = actorsSeen; i < all.length; i++) {
            const actor = all[i];
            if (actor && where(actor)) {
              actorsSeen = i + 1;
              return actor;
            }
          }
          return undefined;
        },
        { message: 'a matching actor', timeoutMs: PAGE_WAIT_MS },
      );
    },
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
        { message: `a '${type}' message`, timeoutMs: PAGE_WAIT_MS },
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
