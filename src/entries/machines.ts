/**
 * linkvisor/machines: the statecharts themselves (pure: provide the transport actions to run them), their
 * policies, and `defineLink` — the chart ready-provided with the `ws` transport, for application
 * machines that spawn links with `spawnChild`.
 *
 * @packageDocumentation
 */

export type {
  ChartModel,
  ChartState,
  ChartStateType,
  ChartTransition,
  ChartTransitionKind,
} from '../../machines/chart-model.js';
export { activePaths, describeChart } from '../../machines/chart-model.js';
export type {
  ConnectionActorRef,
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  ConnectionMachine,
  LinkCommand,
  LinkPolicy,
  LinkReport,
  LinkStateChange,
  LinkStateName,
  RetryView,
  ShouldReconnect,
  TransportCommand,
  TransportInput,
  TransportReport,
} from '../../machines/connection.machine.js';
export {
  connectionMachine,
  connectionSetup,
  createConnectionContext,
  decideRetry,
  failureReason,
  linkStateName,
  planRetry,
  stateChangeDetails,
} from '../../machines/connection.machine.js';
export type { AckDue, ResumeDone } from '../../machines/connection-types.js';
export type {
  FarewellBatch,
  FarewellContext,
  FarewellEmitted,
  FarewellEvent,
  FarewellInput,
  FarewellMachine,
} from '../../machines/farewell.machine.js';
export { farewellMachine, farewellSetup } from '../../machines/farewell.machine.js';
export type {
  GreetingContext,
  GreetingEvent,
  GreetingInput,
  GreetingMachine,
} from '../../machines/greeting.machine.js';
export { greetingMachine, greetingSetup } from '../../machines/greeting.machine.js';
export * from '../../machines/policy/backoff.js';
export * from '../../machines/policy/close-reason.js';
export * from '../../machines/policy/drop-in.js';
export * from '../../machines/policy/heartbeat.js';
export * from '../../machines/policy/intensity.js';
export * from '../../machines/policy/network.js';
export * from '../../machines/policy/queue.js';
export * from '../../machines/policy/random.js';
export * from '../../machines/policy/reservations.js';
export * from '../../machines/policy/resume.js';
export * from '../../machines/policy/shard.js';
export * from '../../machines/policy/timeouts.js';
export * from '../../machines/policy/watcher.js';
export type {
  ReservationsEmitted,
  ReservationsEvent,
  ReservationsMachine,
} from '../../machines/reservations.machine.js';
export { reservationsMachine, reservationsSetup } from '../../machines/reservations.machine.js';
export type {
  SessionContext,
  SessionEvent,
  SessionInput,
  SessionMachine,
  SessionStateName,
} from '../../machines/session.machine.js';
export { sessionMachine, sessionSetup, sessionStateName } from '../../machines/session.machine.js';
export type { ShardContext, ShardEvent, ShardInput } from '../../machines/shard.machine.js';
export { shardMachine } from '../../machines/shard.machine.js';
export type {
  GroupCount,
  SocketActorRef,
  SocketContext,
  SocketEmitted,
  SocketEvent,
  SocketInput,
  SocketMachine,
} from '../../machines/socket.machine.js';
export { groupOf, socketMachine, socketSetup } from '../../machines/socket.machine.js';
export { chartToMermaid, toMermaid } from '../../machines/to-mermaid.js';
export type {
  ProbeError,
  WatcherContext,
  WatcherEmitted,
  WatcherEvent,
  WatcherInput,
  WatcherMachine,
} from '../../machines/watcher.machine.js';
export { watcherMachine, watcherSetup, watcherStateName } from '../../machines/watcher.machine.js';
export type { DefineLinkEnv, LinkDefinition, LinkInputOptions } from '../runtime/define-link.js';
export { defineLink } from '../runtime/define-link.js';
