/**
 * The OpenTelemetry SDK as a test sees it: a MeterProvider with a pull reader whose `collect()`
 * returns what an exporter would get (cumulative temporality, the SDK's default), and small
 * readers for the values of one metric by attributes.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  DataPointType,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

/** A reader that exports nothing by itself: the test pulls with `collect()`. */
class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface Point {
  attributes: Attributes;
  /** Sums and gauges: the number; histograms: their count, sum and bucket counts. */
  value: number | Histogram;
}

export interface HistogramTotals {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** One collection: every metric the provider had, by name. */
export class Collected {
  constructor(
    readonly metrics: MetricData[],
    /** `<scope (meter) name>:<metric name>` of every metric collected. */
    readonly scoped: ReadonlySet<string> = new Set(),
  ) {}

  names(): string[] {
    return this.metrics.map((m) => m.descriptor.name);
  }

  metric(name: string): MetricData | undefined {
    return this.metrics.find((m) => m.descriptor.name === name);
  }

  points(name: string, where: Attributes = {}): Point[] {
    const metric = this.metric(name);
    if (!metric) return [];
    return (metric.dataPoints as { attributes: Attributes; value: number | Histogram }[])
      .filter((point) => matches(point.attributes, where))
      .map((point) => ({ attributes: point.attributes, value: point.value }));
  }

  /** Sum of the values of a sum or gauge metric over the points matching `where` (0 if none). */
  value(name: string, where: Attributes = {}): number {
    const metric = this.metric(name);
    if (metric && metric.dataPointType === DataPointType.HISTOGRAM) {
      throw new Error(`${name} is a histogram: use histogram()`);
    }
    return this.points(name, where).reduce((total, point) => total + (point.value as number), 0);
  }

  /** Count, sum, min and max of a histogram over the points matching `where`. */
  histogram(name: string, where: Attributes = {}): HistogramTotals {
    const totals = { count: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
    for (const point of this.points(name, where)) {
      const h = point.value as Histogram;
      totals.count += h.count;
      totals.sum += h.sum ?? 0;
      totals.min = Math.min(totals.min, h.min ?? Number.POSITIVE_INFINITY);
      totals.max = Math.max(totals.max, h.max ?? Number.NEGATIVE_INFINITY);
    }
    return totals;
  }

  /** Every attribute key and value of every point, and every descriptor text: for scanning. */
  allText(): string {
    const parts: string[] = [];
    for (const metric of this.metrics) {
      const { name, description, unit } = metric.descriptor;
      parts.push(name, description, unit);
      for (const point of metric.dataPoints as { attributes: Attributes }[]) {
        for (const [key, value] of Object.entries(point.attributes)) parts.push(key, String(value));
      }
    }
    return parts.join('\n');
  }
}

function matches(attributes: Attributes, where: Attributes): boolean {
  return Object.entries(where).every(([key, value]) => attributes[key] === value);
}

export interface MetricProbe {
  provider: MeterProvider;
  /** A collection by reader `readerIndex` (default the first). */
  collect(readerIndex?: number): Promise<Collected>;
  shutdown(): Promise<void>;
}

/** An SDK MeterProvider with `readerCount` pull readers (an application may export to several:
 * Prometheus and OTLP), each collecting on its own. */
export function createMetricProbe(readerCount = 1): MetricProbe {
  const readers = Array.from({ length: readerCount }, () => new PullReader());
  const provider = new MeterProvider({ readers });
  return {
    provider,
    async collect(readerIndex = 0) {
      const reader = readers[readerIndex];
      if (!reader) throw new Error(`no reader ${readerIndex}`);
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      const scoped = new Set<string>();
      for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
        for (const metric of metrics) scoped.add(`${scope.name}:${metric.descriptor.name}`);
      }
      return new Collected(
        resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics),
        scoped,
      );
    },
    shutdown: () => provider.shutdown(),
  };
}
