/**
 * Records every event a link emits, in order, with its payload: for asserting sequences and
 * counts, and for scanning everything a link ever said (secrets).
 */
import type { Link, LinkEvents } from '../../src/index.js';

export const LINK_EVENT_NAMES = [
  'state',
  'ready',
  'message',
  'reconnecting',
  'lost',
  'failed',
  'closed',
  'dropped',
  'error',
] as const;

export type LinkEventName = (typeof LINK_EVENT_NAMES)[number];

export interface RecordedEvent {
  type: LinkEventName;
  payload: unknown;
}

export interface EventLog {
  events: RecordedEvent[];
  /** Payloads of one event type, in order. */
  of<T = unknown>(type: LinkEventName): T[];
  count(type: LinkEventName): number;
  /** The `to` of every state change, in order. */
  states(): string[];
  stop(): void;
}

export function recordEvents(link: Link): EventLog {
  const events: RecordedEvent[] = [];
  const offs = LINK_EVENT_NAMES.map((type) =>
    link.on(type, (payload: unknown) => {
      events.push({ type, payload });
    }),
  );
  return {
    events,
    of: <T>(type: LinkEventName) => events.filter((e) => e.type === type).map((e) => e.payload as T),
    count: (type) => events.filter((e) => e.type === type).length,
    states: () => events.filter((e) => e.type === 'state').map((e) => (e.payload as { to: string }).to),
    stop() {
      for (const off of offs) off();
    },
  };
}

/**
 * Text of anything, for scanning: JSON with circular references cut, errors with their message,
 * code and cause chain, buffers as text.
 */
export function textOf(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return String(v);
    if (typeof v === 'function') return `[function ${v.name}]`;
    if (v instanceof Error) {
      const err = v as Error & { code?: unknown; option?: unknown };
      return { name: err.name, message: err.message, code: err.code, option: err.option, cause: err.cause };
    }
    if (v && typeof v === 'object') {
      if (seen.has(v)) return '[circular]';
      seen.add(v);
      if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString();
    }
    return v;
  });
}

/** Resolves with the payload of the next `event` of `link`; rejects after `timeoutMs`. */
export function nextEvent<K extends LinkEventName>(
  link: Link,
  event: K,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<LinkEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`nextEvent: no '${event}' from ${link.id} within ${timeoutMs} ms (state ${link.state})`),
      );
    }, timeoutMs);
    const off = link.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}
