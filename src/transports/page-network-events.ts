/**
 * The page's own network and lifecycle events as network signals (`supervisor.signal`): what the
 * browser transports offer as `Transport.watchNetwork`, wired by a supervisor unless
 * `networkSignals: false`. No Node import; outside a page (no `addEventListener` on the global
 * object) it wires nothing.
 *
 *   window   online                    → online
 *   window   offline                   → offline
 *   document visibilitychange, visible → wake   (timers were throttled while hidden)
 *   window   pageshow, persisted       → wake   (back from the back-forward cache)
 *   document freeze                    → offline (a frozen page runs nothing: no attempt either)
 *   document resume                    → wake
 *
 * A wake is not raised while the browser says it is offline (`navigator.onLine === false`): a
 * page shown again, or resumed, with the network still gone stays offline until `online` (a wake
 * there said the network was back: `supervisor.online` turned true and suspended links attempted,
 * and failed, with no network).
 */
import type { NetworkSignalKind } from './transport.js';

interface EventSource {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
}

function isEventSource(value: unknown): value is EventSource {
  const source = value as Partial<EventSource> | null | undefined;
  return typeof source?.addEventListener === 'function' && typeof source.removeEventListener === 'function';
}

/** Wires the page's events to `signal`; returns the function that unwires them. */
export function watchPageNetwork(signal: (kind: NetworkSignalKind) => void): () => void {
  const page: unknown = globalThis;
  const document: unknown = (globalThis as { document?: unknown }).document;
  const wake = () => {
    if ((globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false) signal('wake');
  };
  const wired: [EventSource, string, (event: unknown) => void][] = [];
  const on = (target: unknown, type: string, listener: (event: unknown) => void) => {
    if (!isEventSource(target)) return;
    target.addEventListener(type, listener);
    wired.push([target, type, listener]);
  };
  on(page, 'online', () => signal('online'));
  on(page, 'offline', () => signal('offline'));
  on(page, 'pageshow', (event) => {
    if ((event as { persisted?: boolean }).persisted) wake();
  });
  on(document, 'visibilitychange', () => {
    if ((document as { visibilityState?: string }).visibilityState === 'visible') wake();
  });
  on(document, 'freeze', () => signal('offline'));
  on(document, 'resume', wake);
  return () => {
    for (const [target, type, listener] of wired.splice(0)) target.removeEventListener(type, listener);
  };
}
