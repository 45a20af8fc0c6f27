/**
 * Secrets never leave the link: a token in the URL's query and one in the Authorization header
 * must not appear in status(), in any event payload, in any error message, or in what the
 * inspector sees, whichever way the link fails.
 */
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import type { Link, LinkOptions, Supervisor } from '../../src/index.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, type Harness, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST, rejectUpgrade } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

const URL_SECRET = 'SUPERSECRET';
const HEADER_SECRET = 'SUPERSECRET2';
const SECRETS = [URL_SECRET, HEADER_SECRET];
const HEADERS = { Authorization: `Bearer ${HEADER_SECRET}` };

const urlFor = (port: number) => `ws://127.0.0.1:${port}/x?token=${URL_SECRET}`;

interface Scenario {
  /** Starts the faulty endpoint; returns its port and a check that the secrets were really sent. */
  start(h: Harness): Promise<{ port: number; sawSecrets?: () => boolean }>;
  /** Extra link options. */
  options?: LinkOptions;
  /** The URL to connect to (default: with the token in the query). */
  url?: (port: number) => string;
  /** The link has shown the failure (then the test scans and closes). */
  done(link: Link, events: ReturnType<typeof recordEvents>): boolean;
  /** Where the redaction must have happened (the scan is not vacuous). */
  redactedIn?: (events: ReturnType<typeof recordEvents>) => string | undefined;
}

const reconnectedTwice: Scenario['done'] = (_link, events) => events.count('reconnecting') >= 2;

const scenarios: [string, Scenario][] = [
  [
    'HTTP 401',
    {
      async start(h) {
        const server = await h.upgradeServer((_request, socket) =>
          rejectUpgrade(socket, 401, 'Unauthorized'),
        );
        return {
          port: server.port,
          sawSecrets: () =>
            server.requests.some(
              (r) => r.url?.includes(URL_SECRET) && r.headers.authorization?.includes(HEADER_SECRET),
            ),
        };
      },
      done: (link) => link.state === 'failed',
    },
  ],
  [
    'connection refused',
    {
      // A port kept for the test (kept-port.ts): refused behind it, nobody else's meanwhile.
      start: async (h) => ({ port: (await h.keptPort()).port }),
      url: (port) => `ws://${BEHIND_HOST}:${port}/x?token=${URL_SECRET}`,
      done: reconnectedTwice,
    },
  ],
  [
    'a close frame whose reason echoes the token',
    {
      async start(h) {
        const server = await h.wsServer({
          onConnection: (ws, request) => ws.close(4001, `rejected ${request.url?.split('=')[1]}`),
        });
        return { port: server.port };
      },
      done: reconnectedTwice,
      redactedIn: (events) => events.of<{ reason: { message: string } }>('reconnecting')[0]?.reason.message,
    },
  ],
  [
    'a TCP reset during the upgrade',
    {
      async start(h) {
        const server = await h.netServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
        return { port: server.port };
      },
      done: reconnectedTwice,
    },
  ],
  [
    'a stalled upgrade (timeout)',
    {
      async start(h) {
        const held: Duplex[] = [];
        const server = await h.upgradeServer((_request, socket) => held.push(socket));
        return { port: server.port };
      },
      options: { connectTimeoutMs: 100 },
      done: reconnectedTwice,
    },
  ],
  [
    'a fatal handshake error whose message quotes the secrets',
    {
      async start(h) {
        const server = await h.wsServer();
        return { port: server.port };
      },
      options: {
        handshake: () => {
          throw Object.assign(new Error(`server refused ${URL_SECRET} and Bearer ${HEADER_SECRET}`), {
            fatal: true,
          });
        },
      },
      done: (link) => link.state === 'failed',
      redactedIn: (events) => events.of<{ reason: { message: string } }>('failed')[0]?.reason.message,
    },
  ],
  [
    'user info in the URL (ws://alice:SUPERSECRET@…), HTTP 401',
    {
      async start(h) {
        const server = await h.upgradeServer((_request, socket) =>
          rejectUpgrade(socket, 401, 'Unauthorized'),
        );
        return {
          port: server.port,
          sawSecrets: () =>
            server.requests.some((r) =>
              Buffer.from(String(r.headers.authorization).replace(/^Basic /, ''), 'base64')
                .toString()
                .includes(URL_SECRET),
            ),
        };
      },
      url: (port) => `ws://alice:${URL_SECRET}@127.0.0.1:${port}/x`,
      options: { headers: {} },
      done: (link) => link.state === 'failed',
    },
  ],
  [
    'a close frame quoting only the bearer token (no token in the URL)',
    {
      async start(h) {
        const server = await h.wsServer({
          onConnection: (ws, request) => {
            const token = String(request.headers.authorization).replace(/^Bearer /, '');
            ws.close(4001, `token ${token} expired`);
          },
        });
        return { port: server.port };
      },
      url: (port) => `ws://127.0.0.1:${port}/x`,
      done: reconnectedTwice,
      redactedIn: (events) => events.of<{ reason: { message: string } }>('reconnecting')[0]?.reason.message,
    },
  ],
];

/** Every place a secret could leak to, as text. */
function collect(supervisor: Supervisor, link: Link, events: ReturnType<typeof recordEvents>): string[] {
  const texts = [textOf(supervisor.status()), textOf(link.status())];
  for (const event of events.events) texts.push(`${event.type}: ${textOf(event.payload)}`);
  return texts;
}

function expectNoSecrets(texts: string[]): void {
  for (const text of texts) {
    for (const secret of SECRETS) {
      expect(text.includes(secret), `secret found in: ${text.slice(0, 400)}`).toBe(false);
    }
  }
}

describe('integration: secrets stay out of status, events, errors and inspection', () => {
  const h = useHarness();

  it.each(scenarios)('%s', async (_name, scenario) => {
    const endpoint = await scenario.start(h);
    const inspected: string[] = [];
    const supervisor = h.supervisor({
      ...FAST,
      inspect: (event: InspectionEvent) => {
        const snapshot = event.type === '@xstate.snapshot' ? event.snapshot : undefined;
        inspected.push(
          textOf({
            type: event.type,
            event: 'event' in event ? event.event : undefined,
            value: (snapshot as { value?: unknown } | undefined)?.value,
            context: (snapshot as { context?: unknown } | undefined)?.context,
            input: (event.actorRef as { options?: { input?: unknown } }).options?.input,
          }),
        );
      },
    });
    const given = (scenario.url ?? urlFor)(endpoint.port);
    const link = supervisor.connect(given, {
      headers: HEADERS,
      ...scenario.options,
    });
    const events = recordEvents(link);
    const statuses: string[] = [];
    link.on('state', () => statuses.push(textOf(supervisor.status())));

    await waitFor(() => scenario.done(link, events), { message: 'the failure to show', timeoutMs: 5_000 });
    if (endpoint.sawSecrets) expect(endpoint.sawSecrets()).toBe(true);
    // Something was reported: the scan below is not vacuous.
    expect(events.count('reconnecting') + events.count('failed')).toBeGreaterThan(0);

    const errors: unknown[] = [];
    try {
      link.send('x');
    } catch (error) {
      errors.push(error);
    }
    const readyError = link.ready().catch((error: unknown) => error);
    if (link.state === 'failed') errors.push(await readyError);
    const texts = [...collect(supervisor, link, events), ...statuses, ...inspected, ...errors.map(textOf)];
    await link.close();
    if (link.state !== 'failed') errors.push(await readyError);
    texts.push(...collect(supervisor, link, events), ...errors.map(textOf));

    expect(inspected.length).toBeGreaterThan(0);
    if (scenario.redactedIn) expect(scenario.redactedIn(events)).toContain('[redacted]');
    expectNoSecrets(texts);
    // The redacted URL is still useful.
    expect(link.status().url).toContain(`${new URL(given).hostname}:${endpoint.port}/x`);
  });

  it("a URL function's error quoting a URL: its query values and user info are redacted", async () => {
    const supervisor = h.supervisor({ ...FAST, backoff: { ...FAST.backoff, maxAttempts: 0 } });
    // The application's token endpoint failed, and its error names the URL it was building.
    const url = () => {
      throw new Error(
        `token refresh failed for wss://bob:${HEADER_SECRET}@h.example/feed?token=${URL_SECRET}`,
      );
    };
    const link = supervisor.connect(url);
    const events = recordEvents(link);
    await waitFor(() => link.state === 'failed', { message: 'failed' });
    const reason = events.of<{ reason: { message: string } }>('failed')[0]?.reason.message ?? '';
    expect(reason).toContain(
      'token refresh failed for wss://[redacted]:[redacted]@h.example/feed?token=[redacted]',
    );
    expectNoSecrets(collect(supervisor, link, events));
  });
});
