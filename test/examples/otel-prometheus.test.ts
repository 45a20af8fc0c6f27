/**
 * examples/otel-prometheus.ts as a user runs it (a child process): its Prometheus endpoint on
 * 127.0.0.1 (port 0) is scraped until linkvisor's metrics show the links, their reconnects and
 * heartbeat round trips; Ctrl-C (SIGINT) then closes everything and the process exits 0 by itself.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startNode } from '../cli/helpers.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** GET without keep-alive (no socket outlives the request). */
function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }),
      );
    });
    request.on('error', reject);
  });
}

/** The value of the first sample of `name` whose labels contain every `label="value"` given. */
function sample(body: string, name: string, labels: string[] = []): number | undefined {
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length, line.lastIndexOf(' '));
    if (labels.every((label) => labelText.includes(label)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** How long the example may take to start and to show its metrics, in ms: a hang guard, not a
 * speed claim (it loads TypeScript through tsx: on a busy 2-core machine, load 7–13, its start
 * alone took over the 15 s this test allowed before; the CLI tests allow 30 s, test/cli/helpers.ts). */
const CHILD_WAIT_MS = 60_000;

describe('examples/otel-prometheus', () => {
  const h = useHarness();

  it('serves linkvisor metrics in the Prometheus format, and exits cleanly on SIGINT', async () => {
    const child = startNode(h, [
      '--import',
      'tsx',
      'examples/otel-prometheus.ts',
      '--port',
      '0',
      '--bounce-every-ms',
      '1500',
    ]);

    const url = (
      await waitFor(() => /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(child.stdout)?.[1], {
        timeoutMs: CHILD_WAIT_MS,
        message: `the metrics URL on stdout (stderr: ${child.stderr})`,
      })
    ).trim();

    // Bounded polling: the links connect, get dropped every 1.5 s, and ping every second.
    const body = await waitFor(
      async () => {
        const { status, type, body } = await scrape(url);
        expect(status).toBe(200);
        expect(type).toContain('text/plain');
        const reconnects = sample(body, 'linkvisor_link_reconnects_total', ['linkvisor_reason_kind="close"']);
        const rtt = sample(body, 'linkvisor_link_heartbeat_rtt_count');
        const firstReadies = sample(body, 'linkvisor_link_time_to_ready_count');
        return (reconnects ?? 0) >= 1 && (rtt ?? 0) >= 1 && firstReadies === 2 ? body : undefined;
      },
      {
        timeoutMs: CHILD_WAIT_MS,
        intervalMs: 200,
        message: 'both links ready, reconnects and heartbeat round trips in /metrics',
      },
    );

    expect(body).toMatch(/^# TYPE linkvisor_link_reconnects_total counter$/m);
    expect(body).toMatch(/^# TYPE linkvisor_link_heartbeat_rtt histogram$/m);
    expect(body).toMatch(/^# TYPE linkvisor_link_count gauge$/m);
    const byState = ['ready', 'connecting', 'reconnecting'].map(
      (state) => sample(body, 'linkvisor_link_count', [`linkvisor_link_state="${state}"`]) ?? 0,
    );
    expect(byState.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'linkvisor_link_count', ['linkvisor_link_state="failed"'])).toBe(0);
    expect(sample(body, 'linkvisor_link_time_to_ready_count')).toBe(2);
    expect(sample(body, 'linkvisor_supervisor_up')).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'linkvisor_link_messages_dropped_total')).toBeUndefined(); // nothing dropped yet
    // No link ids, URLs or hosts unless asked for.
    expect(body).not.toMatch(/link:feed|link:orders|ws:\/\//);

    child.proc.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect(child.stdout).toContain('closed');
    expect(child.stderr).toBe('');
  });
});
