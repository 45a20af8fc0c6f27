/**
 * The zeros of series no longer observed (a state a link left, a link that ended, a stopped
 * instrumentation) with a delta reader beside a cumulative one (an OTLP exporter asking for delta,
 * Prometheus pulling cumulative): the delta reader gets the change once (-1) and then nothing, the
 * cumulative one keeps 0. Real links on a real `ws` server (127.0.0.1, port 0) and the real SDK.
 */
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** `linkvisor.link.count` of one collection by `reader`, as `{ state: value }`. */
async function linkCounts(reader: MetricReader): Promise<Record<string, unknown>> {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  const metric = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === 'linkvisor.link.count');
  return Object.fromEntries(
    (metric?.dataPoints ?? []).map((p) => [String(p.attributes['linkvisor.link.state']), p.value]),
  );
}

describe('linkvisor/otel: zeros with delta temporality', () => {
  const h = useHarness();

  it('a delta reader sees each change once, a cumulative one the current values', async () => {
    const server = await h.wsServer();
    const delta = new PullReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
    const cumulative = new PullReader();
    const provider = new MeterProvider({ readers: [delta, cumulative] });
    h.defer(() => provider.shutdown());
    const supervisor = h.supervisor(FAST);
    const handle = instrumentSupervisor(supervisor, { meterProvider: provider, linkIdAttribute: true });
    h.defer(() => handle.stop());
    const link = supervisor.connect(server.url, { id: 'feed', autoConnect: false });
    expect(await linkCounts(delta)).toEqual({ idle: 1 });
    link.connect();
    await link.ready();
    expect(await linkCounts(delta)).toEqual({ idle: -1, ready: 1 });
    await link.close();
    expect(await linkCounts(delta)).toEqual({ ready: -1 });
    expect(await linkCounts(delta)).toEqual({});
    expect(await linkCounts(cumulative)).toEqual({ idle: 0, ready: 0 });
    handle.stop();
    expect(await linkCounts(delta)).toEqual({});
  });
});
