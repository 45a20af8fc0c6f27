/**
 * A two-line session trace as text for the trace loader's refusals: a header of `version` and one
 * event record (step 1 of actor `a`) with `record`'s fields over its defaults.
 */
import { TRACE_FORMAT } from '../../src/trace/index.js';

export const traceText = (version: unknown, record: Record<string, unknown>): string =>
  [
    JSON.stringify({
      kind: 'header',
      format: TRACE_FORMAT,
      version,
      clockStartMs: 0,
      seed: null,
      linkvisor: '0',
      startedAt: '2026-12-04T00:00:00.000Z',
      options: {},
    }),
    JSON.stringify({ kind: 'event', step: 1, actor: 'a', machine: 'm', atMs: 0, ...record }),
  ].join('\n');
