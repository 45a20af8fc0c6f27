/**
 * linkvisor in the browser (the `browser` condition of the package's "." export, built by
 * scripts/build-browser.mjs into dist/browser/index.js): the Node entry's API without what needs
 * Node. No Node import reaches this bundle: the `ws` transport is replaced by the native WebSocket
 * (src/transports/browser-default-transport.ts), so `createSupervisor()` and `defineLink()` work as they are.
 * Not here: `wsTransport`, `healthHandler` (a Node http listener). Protocol pings do not exist in
 * browsers: use `heartbeat: { mode: 'app', ping, isPong }`.
 */

export type { LinkStateChange, LinkStateName } from '../../machines/connection.machine.js';
export type { Reason, ReasonKind, Verdict } from '../../machines/policy/close-reason.js';
export { rejectsCredentials } from '../../machines/policy/close-reason.js';
export type { GroupStrategy } from '../../machines/policy/group.js';
export { ReconnectingWebSocket } from '../dropin/reconnecting-websocket.js';
export type { DefineLinkEnv, LinkDefinition, LinkInputOptions } from '../runtime/define-link.js';
export { defineLink } from '../runtime/define-link.js';
export type { HealthOptions, HealthReport } from '../runtime/health.js';
export { healthReport } from '../runtime/health.js';
export { Link } from '../runtime/link.js';
export type { LinkEvents, SendResult } from '../runtime/link-events.js';
export type { GroupFailed, GroupRestart, LinkGroupEvents } from '../runtime/link-group.js';
export { LinkGroup } from '../runtime/link-group.js';
export type { LinkStatus } from '../runtime/link-status.js';
export type { UrlInput } from '../runtime/link-template.js';
export type { AttemptInfo, HandshakeSession, LinkOptions, PerAttempt } from '../runtime/options.js';
export { DEFAULT_MAX_PAYLOAD_BYTES } from '../runtime/options.js';
export type { HeartbeatInput } from '../runtime/policy-options.js';
export { createSupervisor, Supervisor } from '../runtime/supervisor.js';
export type {
  GroupOptions,
  NetworkSignal,
  SupervisorEvents,
  SupervisorOptions,
  SupervisorStatus,
} from '../runtime/supervisor-types.js';
export type { ProbeAnswer, WatcherOptions, WatcherStatus } from '../runtime/watcher.js';
export { Watcher } from '../runtime/watcher.js';
export { createBrowserTransport } from '../transports/browser-transport.js';
export type { Incoming, Payload } from '../transports/payload.js';
export type {
  NetworkSignalKind,
  Transport,
  TransportConnection,
  TransportContext,
  TransportHandlers,
  TransportTarget,
} from '../transports/transport.js';
export type { Clock } from '../util/clock.js';
export { systemClock } from '../util/clock.js';
export type { CloseOptions } from '../util/close-args.js';
export type { ErrorCode } from '../util/errors.js';
export { ERROR_CODES, LinkvisorError } from '../util/errors.js';
export { redactHeaders, redactUrl } from '../util/redact.js';
export * from './ws-types.js';
