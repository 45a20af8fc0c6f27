/**
 * `useWebSocket(url, protocols, options)`: partysocket's hook (`partysocket/react`) on the
 * drop-in `ReconnectingWebSocket` of `linkvisor/ws`: the same arguments, the same extra options
 * (`enabled`, `onOpen`, `onMessage`, `onClose`, `onError`), a socket per component, replaced
 * when the URL, the protocols or an option's data change. Unlike partysocket's, StrictMode's
 * double mount opens one socket, not two (shared-registry.ts), and unmounting closes it without
 * calling `onClose` of a component that is gone. The `on*` callbacks are always the latest
 * committed render's, so passing new closures never replaces the socket; one that throws is
 * reported as LV_ERR_LISTENER naming it, with what it threw as `cause` (`reportError`, else
 * `console.error`), and changes nothing else. The component renders
 * again when the socket opens or closes (partysocket's never does), never per message.
 */
import { useEffect, useRef } from 'react';
import type {
  ProtocolsProvider,
  ReconnectingWebSocketOptions,
  UrlProvider,
} from '../dropin/reconnecting-websocket.js';
import type { CloseEvent } from '../dropin/ws-events.js';
import { ReconnectingWebSocket } from '../entries/ws.js';
import { LinkvisorError } from '../util/errors.js';
import { redactedCause } from '../util/redacted-cause.js';
import { SharedRegistry } from './shared-registry.js';
import { forwardCallbacks, stableKey } from './stable-key.js';
import { useCommitEffect, useShared, useUser } from './use-shared.js';

/**
 * The `on…` callbacks of `useWebSocket`, as partysocket's hook names them; always the latest
 * render's.
 */
export interface WebSocketHandlers {
  onOpen?: (event: Event) => void;
  onMessage?: (event: MessageEvent) => void;
  onClose?: (event: CloseEvent) => void;
  onError?: (event: Event) => void;
}

/** Options of `useWebSocket`: the drop-in's options, `enabled`, and the `on…` callbacks. */
export interface UseWebSocketOptions extends ReconnectingWebSocketOptions, WebSocketHandlers {
  /** Whether the socket should be connected. Default true. `false` closes it (the same socket
   * connects again when it turns true). */
  enabled?: boolean;
}

interface SocketInput {
  url: UrlProvider;
  protocols: ProtocolsProvider | undefined;
  options: ReconnectingWebSocketOptions;
}

/** One hook's socket, and whether the hook has it connected. */
interface SocketSlot {
  readonly socket: ReconnectingWebSocket;
  connected: boolean;
  /** `enabled` was false once: turning it true connects even a `startClosed` socket. */
  wasDisabled: boolean;
}

/** Compared by identity, never wrapped: a constructor. */
const IDENTITY: ReadonlySet<string> = new Set(['WebSocket']);
const HANDLERS = ['onOpen', 'onMessage', 'onClose', 'onError'] as const;

const sockets = new SharedRegistry<SocketSlot, SocketInput>({
  create(input, latest) {
    const { url, protocols, options } = forwardCallbacks(input, latest, IDENTITY);
    return {
      socket: new ReconnectingWebSocket(url, protocols, { ...options, startClosed: true }),
      connected: false,
      wasDisabled: false,
    };
  },
  start() {},
  dispose(slot) {
    slot.socket.close();
  },
});

/** A handler's throw, reported as LV_ERR_LISTENER naming it, its `cause` the redacted copy of the
 * thrown value (a handler quoting `event.target.url` shows no query value nor user info:
 * ../util/redacted-cause.ts). */
function report(name: string, thrown: unknown): void {
  const error = new LinkvisorError('LV_ERR_LISTENER', `useWebSocket's ${name} threw`, {
    cause: redactedCause(thrown, String),
  });
  const reportError = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof reportError === 'function') reportError(error);
  else console.error(error);
}

/** Adds one listener per event that calls the latest handler, then, but for a message, renders
 * the component again (readyState changed: open, close); returns what removes them. */
function attach(
  socket: ReconnectingWebSocket,
  handlers: { current: WebSocketHandlers },
  renderAgain: () => void,
): () => void {
  const offs = HANDLERS.map((name) => {
    const type = name.slice(2).toLowerCase() as 'open' | 'message' | 'close' | 'error';
    const listener = (event: Event) => {
      const handler = handlers.current[name] as ((event: Event) => void) | undefined;
      if (name !== 'onMessage') renderAgain();
      if (typeof handler !== 'function') return;
      try {
        handler(event);
      } catch (error) {
        report(name, error);
      }
    };
    socket.addEventListener(type, listener);
    return () => socket.removeEventListener(type, listener);
  });
  return () => {
    for (const off of offs) off();
  };
}

/**
 * partysocket's `useWebSocket` on linkvisor's drop-in `ReconnectingWebSocket`: one socket per
 * component (one under StrictMode's double mount), replaced when the URL, protocols or an option's
 * data change, closed on unmount (docs/react.md).
 */
export function useWebSocket(
  url: UrlProvider,
  protocols?: ProtocolsProvider,
  options: UseWebSocketOptions = {},
): ReconnectingWebSocket {
  const { enabled = true, onOpen, onMessage, onClose, onError, ...socketOptions } = options;
  const user = useUser();
  const input: SocketInput = { url, protocols, options: socketOptions };
  // The socket is the component's own: `request` changes exactly when its key does.
  const request = stableKey({ url, protocols, options: socketOptions }, IDENTITY);
  // The options hold the handlers (only the `on…` names are read).
  const handlers = useRef<WebSocketHandlers>(options);
  useCommitEffect(() => {
    handlers.current = options;
  });
  // Renders again when the socket opens or closes (never per message): `socket.readyState` read in
  // render is current (partysocket's hook never renders again: it stays CLOSED, as at the mount).
  const {
    value: slot,
    acquired,
    renderAgain,
  } = useShared(sockets, request, true, input, user, (own): (() => void) =>
    attach(own.socket, handlers, renderAgain),
  );

  // After the acquire above (effects run in order): connects or closes the acquired socket, again
  // after a re-key. Its cleanup does nothing: the last release closes the socket.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `request` re-runs it (startClosed is in it)
  useEffect(() => {
    const own = acquired.current?.value;
    if (!own) return;
    if (!enabled) {
      if (own.connected) own.socket.close();
      own.connected = false;
      own.wasDisabled = true;
    } else if (!own.connected && (!socketOptions.startClosed || own.wasDisabled)) {
      own.connected = true;
      own.socket.reconnect();
      // CONNECTING now, which the render (CLOSED: made closed) did not show.
      renderAgain();
    }
  }, [request, enabled]);

  return slot.socket;
}
