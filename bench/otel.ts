/**
 * What linkvisor/otel costs: `count` ready links on the memory transport, with and without
 * instrumentSupervisor() (SDK 2.x MeterProvider, a pull reader): heap per link after full GC, and
 * the time of one collection (the batch callback reads supervisor.status() once). Ratios, not
 * promises: run it on an idle machine, several times.
 *
 * Usage: node --expose-gc --import tsx bench/otel.ts [count]
 */
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createSupervisor } from '../src/index.js';
import { instrumentSupervisor } from '../src/otel/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';
import { heap, requireGc, turn } from './heap.js';

const count = Number(process.argv[2] ?? 2_000);
requireGc('otel bench');

class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

async function run(instrumented: boolean) {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const network = createMemoryNetwork();
  network.listen('mem://bench');
  const supervisor = createSupervisor({ transport: network.transport, heartbeat: false });
  const handle = instrumented ? instrumentSupervisor(supervisor, { meterProvider: provider }) : null;
  await reader.collect(); // the SDK's own first-use allocations, outside the measurement
  const before = await heap();
  const links = [];
  for (let i = 0; i < count; i++) links.push(supervisor.connect('mem://bench'));
  for (let i = 0; i < 1_000 && links.some((link) => link.state !== 'ready'); i++) await turn();
  const perLink = ((await heap()) - before) / count;
  const collections: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await reader.collect();
    collections.push(performance.now() - start);
  }
  handle?.stop();
  await supervisor.close();
  await provider.shutdown();
  collections.sort((a, b) => a - b);
  return { perLinkBytes: Math.round(perLink), collectMedianMs: Number((collections[2] ?? 0).toFixed(2)) };
}

const plain = await run(false);
const instrumented = await run(true);
console.log(
  JSON.stringify({
    count,
    plain,
    instrumented,
    extraBytesPerLink: instrumented.perLinkBytes - plain.perLinkBytes,
    heapRatio: Number((instrumented.perLinkBytes / plain.perLinkBytes).toFixed(2)),
  }),
);
