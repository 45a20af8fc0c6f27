/**
 * linkvisor (Node): connections that stay alive, as XState v5 actors you can see and test.
 * The platform-neutral API is src/entries/browser.ts (also the package's browser build); Node adds
 * the `ws` transport (the default there), the http health listener, and the drop-in class wired
 * to the `ws` transport.
 *
 * @packageDocumentation
 */

export type { ProbeError } from '../machines/watcher.machine.js';
export * from './entries/browser.js';
// The Node flavour of the drop-in class (uses the ws transport without a WebSocket option); it
// takes precedence over the platform-neutral one re-exported above.
export { ReconnectingWebSocket } from './entries/ws.js';
export type { HealthDetails, HealthHandlerOptions, HealthSummary } from './runtime/health-handler.js';
export { healthHandler, healthSummary } from './runtime/health-handler.js';
export { wsTransport } from './transports/ws-transport.js';
