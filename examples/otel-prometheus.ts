/**
 * linkvisor's OpenTelemetry metrics, scraped by Prometheus (docs/otel.md):
 *
 *   npx tsx examples/otel-prometheus.ts [--port 9464] [--bounce-every-ms 5000]
 *   curl http://127.0.0.1:9464/metrics
 *
 * A local echo server (127.0.0.1, any free port) that drops its clients every few seconds, a
 * supervisor with two links to it (heartbeat every second, so round trips show at once), the
 * OpenTelemetry SDK with a Prometheus exporter, served on 127.0.0.1 (`--port 0`: any free port;
 * the URL is printed). Ctrl-C closes everything and the process exits by itself.
 * In an application, import from 'linkvisor' and 'linkvisor/otel' instead of ../src.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { WebSocketServer } from 'ws';
import { createSupervisor } from '../src/index.js';
import { instrumentSupervisor } from '../src/otel/index.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name}: must be a whole number ≥ 0, got ${process.argv[at + 1]}`);
    process.exit(2);
  }
  return value;
}

const metricsPort = flag('--port', 9464);
const bounceEveryMs = flag('--bounce-every-ms', 5_000);

// ── something to watch: an echo server that drops its clients now and then ──
const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => echo.once('listening', resolve));
echo.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
const bounce = setInterval(() => {
  for (const client of echo.clients) client.terminate();
}, bounceEveryMs);
const echoUrl = `ws://127.0.0.1:${(echo.address() as AddressInfo).port}`;

// ── the wiring: SDK + Prometheus exporter, then the supervisor's instrumentation ──
const exporter = new PrometheusExporter({ preventServerStart: true });
const meterProvider = new MeterProvider({ readers: [exporter] });
const supervisor = createSupervisor({ heartbeat: { intervalMs: 1_000 } });
const instrumentation = instrumentSupervisor(supervisor, { meterProvider });

supervisor.connect(echoUrl, { id: 'feed' });
supervisor.connect(`${echoUrl}/orders`, { id: 'orders' });

// The exporter's request handler on our own server: any host, port and path the app wants.
const metricsServer = http.createServer((request, response) => {
  if (request.url === '/metrics') exporter.getMetricsRequestHandler(request, response);
  else response.writeHead(404).end();
});
await new Promise<void>((resolve) => metricsServer.listen(metricsPort, '127.0.0.1', resolve));
const { port } = metricsServer.address() as AddressInfo;
console.log(`metrics: http://127.0.0.1:${port}/metrics`);

// ── shutdown: stop measuring, close the links, then the servers; nothing is left running ──
let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  instrumentation.stop();
  await supervisor.close();
  await meterProvider.shutdown();
  clearInterval(bounce);
  metricsServer.closeAllConnections();
  await new Promise((resolve) => metricsServer.close(resolve));
  for (const client of echo.clients) client.terminate();
  await new Promise((resolve) => echo.close(resolve));
  console.log('closed');
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
