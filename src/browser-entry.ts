/**
 * linkvisor in the browser (the `browser` condition of the package's "." export, built by
 * scripts/build-browser.mjs into dist/browser/index.js): the Node entry's API without what needs
 * Node. No Node import reaches this bundle: the `ws` transport is replaced by the native WebSocket
 * (src/browser-default-transport.ts), so `createSupervisor()` and `defineLink()` work as they are.
 * Not here: `wsTransport`, `healthHandler` (a Node http listener). Protocol pings do not exist in
 * browsers: use `heartbeat: { mode: 'app', ping, isPong }`.
 */

export type { LinkStateChange, LinkStateName } from '../machines/connection.machine.js';
export type { Reason, ReasonKind, Verdict } from '../machines/policy/close-reason.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { DefineLinkEnv, LinkDefinition, LinkInputOptions } from './define-link.js';
export { defineLink } from './define-link.js';
export type { ErrorCode } from './errors.js';
export { ERROR_CODES, LinkvisorError } from './errors.js';
export type { HealthOptions, HealthReport } from './health.js';
export { healthReport } from './health.js';
export type { CloseOptions, LinkStatus } from './link.js';
export { Link } from './link.js';
export { LinkGroup } from './link-group.js';
export type { LinkEvents, SendResult } from './link-wire.js';
export type { AttemptInfo, HandshakeSession, HeartbeatInput, LinkOptions, PerAttempt } from './options.js';
export { DEFAULT_MAX_PAYLOAD_BYTES } from './options.js';
export type { Incoming, Payload } from './payload.js';
export { ReconnectingWebSocket } from './reconnecting-websocket.js';
export { redactHeaders, redactUrl } from './redact.js';
export type { SupervisorEvents, SupervisorOptions, SupervisorStatus } from './supervisor.js';
export { createSupervisor, Supervisor } from './supervisor.js';
export { createBrowserTransport } from './transports/browser-transport.js';
export type { Transport, TransportConnection, TransportTarget } from './transports/transport.js';
export type { WatcherOptions, WatcherStatus } from './watcher.js';
export { Watcher } from './watcher.js';
export * from './ws-entry-types.js';
