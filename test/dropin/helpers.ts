/**
 * Helpers for the drop-in class tests: fast options, an event recorder that writes each event as
 * a short string ("close:1006:error"), a bounded wait for the next event, and a factory that
 * closes every instance after the test and waits until its link has ended.
 */
import type { Reason } from '../../src/index.js';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from '../../src/index.js';
import type { Harness } from '../helpers/harness.js';

/** Short, capped, unjittered schedule; no heartbeat noise. */
export const FAST = {
  minReconnectionDelay: 20,
  maxReconnectionDelay: 150,
  reconnectionDelayGrowFactor: 2,
  jitter: 'none',
  connectionTimeout: 2_000,
  heartbeat: false,
} as const satisfies ReconnectingWebSocketOptions;

export const EVENT_TYPES = ['open', 'message', 'close', 'error', 'reconnecting', 'failed'] as const;

type AnyEvent = Event & {
  data?: unknown;
  code?: number;
  detail?: Reason;
  attempt?: number;
};

export interface WsLog {
  /** Every event as a string: `open`, `message:<text>`, `close:<code>`, `error:<kind>`,
   * `reconnecting:<attempt>`, `failed:<kind>`. */
  lines: string[];
  events: AnyEvent[];
  of(type: string): AnyEvent[];
  count(type: string): number;
}

export function recordWs(rws: ReconnectingWebSocket): WsLog {
  const lines: string[] = [];
  const events: AnyEvent[] = [];
  for (const type of EVENT_TYPES) {
    rws.addEventListener(type, (event: Event) => {
      const e = event as AnyEvent;
      events.push(e);
      if (type === 'message') lines.push(`message:${typeof e.data === 'string' ? e.data : '<binary>'}`);
      else if (type === 'close') lines.push(`close:${e.code}`);
      else if (type === 'error' || type === 'failed') lines.push(`${type}:${e.detail?.kind}`);
      else if (type === 'reconnecting') lines.push(`reconnecting:${e.attempt}`);
      else lines.push(type);
    });
  }
  return {
    lines,
    events,
    of: (type) => events.filter((e) => e.type === type),
    count: (type) => events.filter((e) => e.type === type).length,
  };
}

/** The next event of `type`; rejects after `timeoutMs`, naming the state it was in. */
export function nextWsEvent<T extends Event = AnyEvent>(
  rws: ReconnectingWebSocket,
  type: string,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      rws.removeEventListener(type, listener);
      reject(new Error(`no '${type}' event within ${timeoutMs} ms (readyState ${rws.readyState})`));
    }, timeoutMs);
    const listener = (event: Event) => {
      clearTimeout(timer);
      rws.removeEventListener(type, listener);
      resolve(event as T);
    };
    rws.addEventListener(type, listener);
  });
}

/** Creates an instance that is closed (and its link awaited) after the test. */
export function dropIn(
  h: Harness,
  ...args: ConstructorParameters<typeof ReconnectingWebSocket>
): ReconnectingWebSocket {
  const rws = new ReconnectingWebSocket(...args);
  h.defer(async () => {
    rws.close();
    await rws.link?.ended();
  });
  return rws;
}
