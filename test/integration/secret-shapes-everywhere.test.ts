/**
 * The secrets bar beyond errors, table-driven: each of four secret shapes (a JWT, a `Bearer …`
 * value, a 40-char base64 token, a URL with user:pass) given through each input a user has (the
 * URL's query and user info, an Authorization header, a subprotocol, a watcher's probe error), a
 * real ws server quoting it back in its close reason; then every place a link's words go —
 * status, events, the health endpoint's JSON (details on), the inspector's actors and records,
 * OTel metric attributes (link id and watcher name on), a trace file, console.* — is searched for
 * every encoded form (`secretForms`). A server's close reason quoting a secret the link was never
 * given ("server only") is scrubbed by shape (JWT, `Bearer …`, user:pass@): before, only the
 * inspector did, and status, events, the health JSON and the trace showed it (those rows failed);
 * a bare token one was never given cannot be told from text, so that pair is not in the table.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { healthHandler, type LinkOptions, ReconnectingWebSocket } from '../../src/index.js';
import { createInspector } from '../../src/inspector/index.js';
import { instrumentSupervisor } from '../../src/otel/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { secretForms } from '../../src/util/redact.js';
import { startCli } from '../cli/helpers.js';
import { request, serveHttp } from '../health/serve-http.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { SECRET_SHAPES } from '../helpers/secret-shapes.js';
import { waitFor } from '../helpers/wait.js';
import { createMetricProbe } from '../otel/metric-probe.js';

const SHAPES = SECRET_SHAPES;

/** Hang guards, not speed claims: a whole `npm test` on a busy 2-core host timed out at 10 s (a CLI
 * child starting under load, two reconnects of every route); the file's tests pass in well under
 * a second each when the machine is quiet. */
const WAIT_MS = 60_000;

const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** How a route hands the secret to a link: its URL and options, or undefined when the shape cannot
 * go that way (a subprotocol must be a token). */
type Route = (base: string, secret: string) => { url: string; options: LinkOptions } | undefined;

const ROUTES: [string, Route][] = [
  ['URL query', (base, s) => ({ url: `${base}/feed?token=${encodeURIComponent(s)}`, options: {} })],
  [
    'URL user info',
    (base, s) => ({ url: base.replace('ws://', `ws://alice:${encodeURIComponent(s)}@`), options: {} }),
  ],
  ['Authorization header', (base, s) => ({ url: base, options: { headers: { Authorization: s } } })],
  [
    'subprotocol',
    (base, s) => (TOKEN_CHARS.test(s) ? { url: base, options: { protocols: [s] } } : undefined),
  ],
  // A bare token one was never given cannot be told from text.
  ['server only', (base, s) => (s.startsWith('k7') ? undefined : { url: base, options: {} })],
];

/** A probe's error quoting the secret: a bare token with the name that says what it is. */
const probeError = (secret: string) =>
  new Error(`auth failed for ${secret.startsWith('k7') ? `token=${secret}` : secret}`);

const CONSOLE = ['log', 'info', 'warn', 'error', 'debug'] as const;

describe('integration: four secret shapes, every input, every output', () => {
  const h = useHarness();
  let logged: string[] = [];
  beforeEach(() => {
    logged = [];
    for (const method of CONSOLE)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(textOf(args));
      });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const [shape, secret, parts] of SHAPES) {
    for (const [routeName, route] of ROUTES) {
      if (!route('ws://127.0.0.1:1', secret)) continue;
      it(`${shape} through the ${routeName}`, async () => {
        let closes = 0;
        const server = await h.wsServer({
          onConnection: (ws) => {
            closes++;
            setTimeout(() => ws.close(4001, `denied ${secret}`), 10);
          },
        });
        const given = route(server.url, secret) as NonNullable<ReturnType<Route>>;
        const inspector = createInspector();
        const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
        const probe = createMetricProbe();
        h.defer(() => probe.shutdown());
        const otel = instrumentSupervisor(supervisor, {
          meterProvider: probe.provider,
          linkIdAttribute: true,
          watcherNameAttribute: true,
        });
        h.defer(() => otel.stop());
        const recorder = recordSession(supervisor);
        const port = await serveHttp(h, healthHandler(supervisor, { showDetails: 'always' }));
        const link = supervisor.connect(given.url, { ...given.options, id: 'feed' });
        const events = recordEvents(link);
        supervisor.watch({
          name: 'db',
          probe: async () => {
            throw probeError(secret);
          },
        });
        await waitFor(() => closes >= 2 && link.status().lastError !== null, {
          timeoutMs: WAIT_MS,
          message: 'two closes quoting the secret',
        });
        await waitFor(() => supervisor.watcher('db')?.status().lastError != null, {
          timeoutMs: WAIT_MS,
          message: 'the probe failed',
        });
        const outputs: [string, string][] = [
          ['status', JSON.stringify([supervisor.status(), link.status()])],
          ['events', textOf(events)],
          ['health', (await request(port)).body],
          ['inspector', JSON.stringify({ actors: inspector.actors(), records: inspector.records() })],
          ['otel', JSON.stringify((await probe.collect()).metrics)],
          ['trace', formatTrace(recorder.stop())],
        ];
        await link.close();
        outputs.push(['console', logged.join('\n')]);
        // Not vacuous: the close reasons and the probe's error reached status and the health JSON.
        expect(outputs[0]?.[1]).toContain('denied');
        expect(outputs[2]?.[1]).toContain('auth failed');
        const forms = [secret, ...parts].flatMap((s) => secretForms(s));
        const shown = outputs.flatMap(([where, text]) =>
          forms.filter((form) => text.includes(form)).map((form) => `${where}: ${form}`),
        );
        expect(shown, JSON.stringify(shown)).toEqual([]);
      });
    }
  }
});

describe('integration: the drop-in debug log and the CLI, four secret shapes', () => {
  const h = useHarness();

  /** A server that quotes `secret` in each close reason; `closes()` counts the connections. */
  async function quoting(secret: string) {
    let closes = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        closes++;
        setTimeout(() => ws.close(4001, `denied ${secret}`), 10);
      },
    });
    return { server, closes: () => closes };
  }

  for (const [shape, secret, parts] of SHAPES) {
    const forms = [secret, ...parts].flatMap((s) => secretForms(s));
    const found = (text: string) => forms.filter((form) => text.includes(form));

    it(`${shape}: the drop-in's debug log (URL query, subprotocol)`, async () => {
      const { server, closes } = await quoting(secret);
      const logged: string[] = [];
      const ws = new ReconnectingWebSocket(
        `${server.url}/feed?token=${encodeURIComponent(secret)}`,
        TOKEN_CHARS.test(secret) ? [secret] : [],
        {
          debug: true,
          debugLogger: (...args: unknown[]) => logged.push(textOf(args)),
          minReconnectionDelay: 10,
          maxReconnectionDelay: 50,
          maxRetries: 1,
          heartbeat: false,
        },
      );
      h.defer(() => ws.close());
      await waitFor(() => closes() >= 2, { timeoutMs: WAIT_MS, message: 'two closes' });
      // Given up after the retry: the drop-in logs why (the server's close, its reason).
      await waitFor(() => logged.some((line) => line.includes('failed')), {
        timeoutMs: WAIT_MS,
        message: `the close logged: ${logged.join(' | ')}`,
      });
      expect(logged.join('\n')).toContain('denied');
      expect(found(logged.join('\n'))).toEqual([]);
    });

    it(`${shape}: the CLI's output (URL query, --header)`, async () => {
      const { server } = await quoting(secret);
      const cli = startCli(h, [
        'connect',
        `${server.url}/feed?token=${encodeURIComponent(secret)}`,
        '--header',
        `Authorization: ${secret}`,
        '--no-stdin',
        '--backoff',
        '20:50',
      ]);
      await cli.waitFor('stderr', /4001[^\n]*\n(?:.*\n)*.*4001/, WAIT_MS);
      cli.proc.kill('SIGTERM');
      await cli.exited;
      expect(`${cli.stdout}\n${cli.stderr}`).toContain('denied');
      expect(found(`${cli.stdout}\n${cli.stderr}`)).toEqual([]);
    });
  }
});
