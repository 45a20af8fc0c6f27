/**
 * linkvisor/trace: session traces — record what a supervisor's actors process (`recordSession`),
 * read and write them as JSON Lines, and step through them. Replaying and shrinking a trace are in
 * linkvisor/testing (`replayTrace`, `shrinkTrace`). A separate entry, so an application that never
 * records carries none of it.
 *
 * @packageDocumentation
 */

export { recordSession } from './record-session.js';
export type {
  Trace,
  TraceActorRecord,
  TraceEventRecord,
  TraceHeader,
  TraceJson,
  TraceRecord,
  TraceSource,
  TraceStateValue,
  TraceTransition,
} from './trace-format.js';
export { formatTrace, parseTrace, TRACE_FORMAT, TRACE_FORMAT_VERSION } from './trace-format.js';
export type { TraceRecorderOptions } from './trace-recorder.js';
export { TraceRecorder } from './trace-recorder.js';
export type { TraceActorState, TraceStep } from './trace-steps.js';
export { statePaths, traceStepAt, traceSteps } from './trace-steps.js';
