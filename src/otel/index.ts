/**
 * linkvisor/otel: a supervisor's links and watchers as OpenTelemetry metrics, through
 * `@opentelemetry/api` (an optional peer dependency: install it to use this entry). Any SDK and
 * exporter (OTLP, Prometheus…) reads them. See docs/otel.md.
 *
 * @packageDocumentation
 */

export { DROP_REASONS, LINK_STATES, OTHER, REASON_KINDS, WATCHER_STATES } from './attribute-values.js';
export type { InstrumentOptions } from './instrument-options.js';
export type { SupervisorInstrumentation } from './instrument-supervisor.js';
export { instrumentSupervisor } from './instrument-supervisor.js';
export { ATTRIBUTES, DURATION_BUCKETS_S, METER_NAME, METRICS, RTT_BUCKETS_S } from './instruments.js';
