/**
 * No secret, message or URL in any metric: tokens planted in the URL, in a header, in the close
 * reasons a server sends, in an HTTP rejection and in a watcher's probe error reach the link's
 * own events (so the scan is not vacuous) but no attribute, name, unit or description of any
 * metric, even with every opt-in attribute on.
 */
import { describe, expect, it } from 'vitest';
import { type Transport, wsTransport } from '../../src/index.js';
import { instrumentSupervisor, OTHER } from '../../src/otel/index.js';
import { nextEvent, recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { rejectUpgrade } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from './metric-probe.js';

const URL_SECRET = 'URLSECRET7';
const HEADER_SECRET = 'HEADERSECRET7';
const CLOSE_SECRET = 'CLOSESECRET7';
const PROBE_SECRET = 'PROBESECRET7';

describe('linkvisor/otel: secrets', () => {
  const h = useHarness();

  it('tokens in the URL, headers, close reasons, an HTTP rejection and a probe error appear in no metric', async () => {
    let connections = 0;
    let sawSecrets = false;
    const closing = await h.wsServer({
      onConnection: (ws, request) => {
        connections++;
        sawSecrets =
          Boolean(request.url?.includes(URL_SECRET)) &&
          Boolean(request.headers.authorization?.includes(HEADER_SECRET));
        // First a retryable application close, then a fatal one, both with the token as reason.
        const code = connections === 1 ? 4001 : 1008;
        setTimeout(() => ws.close(code, `bad ${CLOSE_SECRET}`), 10);
      },
    });
    const rejecting = await h.upgradeServer((_request, socket) =>
      rejectUpgrade(socket, 401, 'Unauthorized', [`X-Reason: ${CLOSE_SECRET}`]),
    );
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor({
      ...FAST,
      headers: { Authorization: `Bearer ${HEADER_SECRET}` },
    });
    const handle = instrumentSupervisor(supervisor, {
      meterProvider: probe.provider,
      linkIdAttribute: true,
      watcherNameAttribute: true,
    });
    h.defer(() => handle.stop());

    const closed = supervisor.connect(`${closing.url}/feed?token=${URL_SECRET}`, { id: 'feed' });
    const rejected = supervisor.connect(`ws://user:${URL_SECRET}@127.0.0.1:${rejecting.port}/x`, {
      id: 'api',
    });
    const logs = [recordEvents(closed), recordEvents(rejected)];
    supervisor.watch({
      name: 'db',
      probe: () => {
        throw new Error(`connect failed: postgres://admin:${PROBE_SECRET}@127.0.0.1/db`);
      },
    });
    await Promise.all([closed.ended(), rejected.ended()]);
    await waitFor(() => supervisor.watcher('db')?.status().probes, { message: 'a failed probe' });

    // The secrets were there to leak: sent to the server, and its close reason reached the events.
    expect(sawSecrets).toBe(true);
    expect(textOf(logs.map((log) => log.events))).toContain(CLOSE_SECRET);
    expect(logs[0]?.count('reconnecting')).toBe(1);
    expect(logs[0]?.count('failed')).toBe(1);
    expect(logs[1]?.count('failed')).toBe(1);

    const collected = await probe.collect();
    expect(collected.value('linkvisor.link.failures')).toBe(2);
    expect(collected.value('linkvisor.link.reconnects')).toBe(1);
    const text = collected.allText();
    for (const secret of [URL_SECRET, HEADER_SECRET, CLOSE_SECRET, PROBE_SECRET])
      expect(text).not.toContain(secret);
    // No URL, host, message or close code text either: attribute values are from closed sets.
    for (const fragment of ['ws://', '127.0.0.1', 'postgres', 'token', 'Bearer', 'Unauthorized', 'bad ']) {
      expect(text).not.toContain(fragment);
    }
  });

  it('a reason kind outside the closed set (a custom transport) is reported as other, never as given', async () => {
    const server = await h.wsServer();
    const inventive: Transport = {
      ...wsTransport,
      name: 'inventive',
      connect: (target, handlers, context) =>
        wsTransport.connect(
          target,
          {
            ...handlers,
            closed: (reason) => handlers.closed({ ...reason, kind: `kind-${URL_SECRET}` as never }),
          },
          context,
        ),
    };
    const probe = createMetricProbe();
    h.defer(() => probe.shutdown());
    const supervisor = h.supervisor({ ...FAST, transport: inventive });
    const handle = instrumentSupervisor(supervisor, { meterProvider: probe.provider });
    h.defer(() => handle.stop());
    const link = supervisor.connect(server.url);
    await link.ready();
    const lost = nextEvent(link, 'lost');
    for (const ws of server.clients) ws.terminate();
    expect((await lost).reason.kind).toBe(`kind-${URL_SECRET}`);
    await link.ready();

    const collected = await probe.collect();
    expect(collected.value('linkvisor.link.disconnects', { 'linkvisor.reason.kind': OTHER })).toBe(1);
    expect(collected.value('linkvisor.link.reconnects', { 'linkvisor.reason.kind': OTHER })).toBe(1);
    expect(collected.allText()).not.toContain(URL_SECRET);
  });
});
