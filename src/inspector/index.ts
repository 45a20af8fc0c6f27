/**
 * linkvisor/inspector: a live, offline view of every actor of a supervisor — its statechart
 * drawn from the machine definition with the active state lit, its timeline and live figures —
 * served on 127.0.0.1 with a per-run token. See docs/inspector.md.
 *
 * @packageDocumentation
 */

export type { InspectObserver } from '../runtime/combine-inspectors.js';
export { combineInspectors } from './combine-checked.js';
export type { Inspector, InspectorOptions, InspectorUpdate } from './create-inspector.js';
export { createInspector } from './create-inspector.js';
export type { InspectorServer, StartInspectorOptions } from './inspector-server.js';
export { naturalCompare } from './natural-sort.js';
export { PAGE_COMMANDS } from './page-commands.js';
export type { PageFeedStats } from './page-feed.js';
export type {
  ActorDelta,
  ActorDetail,
  ActorGroup,
  ActorInfo,
  ActorRow,
  ActorStatus,
  Figures,
  LaidOutChart,
  PageMessage,
  Sample,
  ServerMessage,
  TransitionRecord,
} from './protocol.js';
export { startInspector } from './start-inspector.js';
export type { StatelyInspector, StatelyInspectorOptions } from './stately-inspector.js';
export { createStatelyInspector } from './stately-inspector.js';
export { SAMPLE_SECONDS } from './supervisor-samples.js';
