/**
 * linkvisor/testing: test code that uses linkvisor without sockets and without waiting real time.
 *
 * @packageDocumentation
 */

export type { PendingConnection } from '../transports/memory-transport.js';
export {
  createMemoryNetwork,
  type MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryPeer,
  type MemoryServer,
  type RefuseWith,
} from '../transports/memory-transport.js';
export {
  ChartCoverage,
  type CoverageGap,
  type CoverageTransition,
  chartStates,
  chartTransitions,
} from './chart-coverage.js';
export {
  type ConnectionSnapshot,
  type CoveringWalkOptions,
  createLinkTestModel,
  type DefaultApp,
  describeEvent,
  LinkDriver,
  type LinkModelConfig,
  type LinkModelEnvironment,
  type LinkModelPath,
  type LinkModelRunOptions,
  type LinkModelStep,
  type LinkTestModel,
  linkModelEvents,
  linkModelInput,
  linkModelKey,
  linkModelOptions,
  MODEL_DELAYS_MS,
  ModelResolveGate,
  type ModelServer,
} from './link-model.js';
export {
  describeRecord,
  type ReplayDivergence,
  type ReplayOptions,
  type ReplayResult,
  replayTrace,
} from './replay-trace.js';
export { type ShrinkOptions, shrinkTrace, type TracePredicate } from './shrink-trace.js';
export { settle, TestClock, type TestClockOptions } from './test-clock.js';
