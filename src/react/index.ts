/**
 * linkvisor/react: hooks for React 18 and 19 (an optional peer dependency). See docs/react.md.
 *
 *   useLink(url, options)           a supervisor link, shared per key, StrictMode-safe
 *   useLinkState(link)              its lifecycle state; renders on state changes only
 *   useWebSocket(url, protocols, o) partysocket's hook on linkvisor/ws's ReconnectingWebSocket
 *   LinkvisorProvider               the supervisor for the links below it
 *
 * @packageDocumentation
 */
export type { LinkvisorProviderProps } from './supervisor-context.js';
export { closeDefaultSupervisor, getDefaultSupervisor, LinkvisorProvider } from './supervisor-context.js';
export type { UseLinkOptions } from './use-link.js';
export { useLink } from './use-link.js';
export { useLinkState } from './use-link-state.js';
export type { UseWebSocketOptions, WebSocketHandlers } from './use-web-socket.js';
export { useWebSocket } from './use-web-socket.js';
