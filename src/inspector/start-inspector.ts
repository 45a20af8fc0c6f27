/**
 * `startInspector(supervisor, options)`: the inspector's HTTP + WebSocket server. It serves the
 * page (HTML, style, the bundled script: nothing from a CDN; ./page-http.ts) and streams the
 * collector's records (./create-inspector.ts) to every open page. Binds to 127.0.0.1 unless told
 * otherwise (with a warning); every request must carry the per-run token and a loopback `Host`,
 * every WebSocket upgrade the inspector's own `Origin` (./request-guard.ts). Pages may read; they
 * may send commands to actors only with `allowEvents` (./page-commands.ts). Payloads are stripped
 * unless `showPayloads`.
 *
 * Each page gets a `hello` (charts, laid out once each by ./chart-layouts.ts; every actor as a row;
 * the supervisor in full; the last minutes of samples, ./supervisor-samples.ts), then batches of
 * what changed, coalesced per page and at most one per `updateIntervalMs` (./page-feed.ts:
 * per-page backpressure, bounded memory for a page that stops reading). What a page asks for
 * (pong, a command's result, a recording's trace) is answered only while its socket holds at
 * most 4 × `maxBufferedBytes` beyond its hello; past that it is not reading, and is sent away
 * (1013). A page
 * follows one actor in full (figures, timeline) by selecting it.
 *
 *   const inspector = createInspector();
 *   const supervisor = createSupervisor({ inspect: inspector.inspect });
 *   const { url, close } = await startInspector(supervisor, { inspector });
 *
 * A page may record a session trace of the supervisor (`record`: recordSession, redacted as it
 * redacts; ./page-recordings.ts) and download it; the recording stops when the page stops it or
 * goes away. The options and the running server's shape are ./inspector-server.ts's. With no
 * supervisor (`startInspector(null, { trace })`, or `linkvisor inspect trace.jsonl`) the server
 * only serves the page, the charts and the trace, which the page opens and steps through.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import type { Supervisor } from '../runtime/supervisor.js';
import { parseTrace } from '../trace/trace-format.js';
import { portNumber } from '../util/port.js';
import { boundToLoopback, isWildcardHost, unresolvedHost, urlHostOf } from './bind-address.js';
import { createChartLayouts } from './chart-layouts.js';
import { loadClientBundle } from './client-bundle.js';
import { checkCollectorFollows } from './collector-follows.js';
import { createInspector, type InspectorUpdate } from './create-inspector.js';
import { FlushPace } from './flush-pace.js';
import { canonicalHost, checkInspectorOptions } from './inspector-options.js';
import type { InspectorServer, StartInspectorOptions } from './inspector-server.js';
import { DEFAULT_MAX_PAGES, PageAdmission } from './page-admission.js';
import { PAGE_COMMANDS, runPageCommand } from './page-commands.js';
import { DEFAULT_MAX_BUFFERED_BYTES, PageFeed } from './page-feed.js';
import { bracket, createPageRequestHandler, listen, refuseUpgrade } from './page-http.js';
import { PageRecordings } from './page-recordings.js';
import type { LaidOutChart, PageMessage, ServerInfo, ServerMessage, TransitionRecord } from './protocol.js';
import { scrubText } from './redact-value.js';
import { type GuardConfig, LOOPBACK_HOSTS } from './request-guard.js';
import { createStatusPoll } from './status-poll.js';
import { SupervisorSamples } from './supervisor-samples.js';

export type { InspectorServer, StartInspectorOptions } from './inspector-server.js';
export { PAGE_COMMANDS } from './page-commands.js';
export { SAMPLE_SECONDS } from './supervisor-samples.js';

/** A page's socket may hold this many times `maxBufferedBytes` before its requests send it away. */
const REPLY_BOUND_FACTOR = 4;

/** Charts a trace-only server offers (no supervisor registers them). */
const TRACE_CHARTS = [socketMachine, connectionMachine, watcherMachine];

/**
 * Serves the live inspector page for a supervisor on 127.0.0.1 with a per-run token (or, with
 * `null` and a `trace`, the page on a saved session trace). Resolves once it listens.
 */
export async function startInspector(
  supervisor: Supervisor | null,
  options: StartInspectorOptions = {},
): Promise<InspectorServer> {
  checkInspectorOptions(options, supervisor);
  // `[::1]` as in a URL (and in `allowedHosts`) binds `::1`: listen() took the brackets for a name.
  // Any other spelling of an address (`0:0:0:0:0:0:0:1`) is the one browsers send in `Host`.
  const host = canonicalHost(options.host ?? '127.0.0.1');
  const warnTo = options.warn ?? ((message: string) => console.warn(message));
  // A warning is only a warning: a `warn` that throws loses it, the inspector carries on.
  const warn = (message: string) => {
    try {
      warnTo(message);
    } catch {
      // the application's callback; nothing of the server depends on it
    }
  };
  const token = options.token ?? randomBytes(24).toString('base64url');
  let closed = false;
  const allowEvents = options.allowEvents === true;
  const showPayloads = options.showPayloads === true;
  const given = options.inspector;
  // A collector given that has seen no socket actor follows no supervisor (it was not passed to
  // createSupervisor({ inspect })): its page would stay empty, so it is attached late, as our own.
  const lateAttach = !given || (supervisor !== null && !given.rows().some((row) => row.machine === 'socket'));
  if (given && supervisor && !lateAttach) checkCollectorFollows(given, supervisor);
  if (given && lateAttach) {
    warn(
      'linkvisor inspector: the `inspector` collector given follows no supervisor: attached to this one now ' +
        '(pass its inspect to createSupervisor({ inspect }) to see every actor from its start)',
    );
  }
  const inspector = given ?? createInspector();
  // A bad trace is the caller's error (LV_ERR_INVALID_TRACE, option `trace`), not the page's.
  if (options.trace !== undefined) parseTrace(options.trace);
  const script = await loadClientBundle();

  const info: ServerInfo = {
    version: '0.1.0',
    allowEvents,
    showPayloads,
    commands: allowEvents ? PAGE_COMMANDS : {},
    lateAttach: lateAttach && supervisor !== null,
    record: supervisor !== null,
    trace: options.trace !== undefined,
  };
  const chartModels = () =>
    supervisor
      ? inspector.charts()
      : TRACE_CHARTS.map((machine) => ({ key: machine.id, model: describeChart(machine) }));

  // ── charts: laid out once each, when a page first needs them, by elkjs in a worker thread (the
  // connection chart takes 0.3–5 s, by load; on this thread it would stall the application's
  // links: a connect or heartbeat timeout could fire meanwhile). Ended by close(). ──
  const layout = createChartLayouts(warn);

  // ── samples: one a second, for the sparklines ──
  const samples = new SupervisorSamples(inspector);
  const sampleNow = () => {
    const sample = samples.take();
    for (const feed of pages.values()) feed.sample(sample);
    schedule();
  };

  // ── pages ──
  const updateIntervalMs = options.updateIntervalMs ?? 100;
  const pages = new Map<WebSocket, PageFeed>();
  const send = (ws: WebSocket, message: ServerMessage) => {
    if (ws.readyState === 1) ws.send(JSON.stringify(message));
  };
  // A page's requests are answered outside its feed's backpressure: one that goes on asking while
  // its socket holds this much is not reading what it asked for, and would grow it without bound.
  // The hello (a whole fleet's rows, sent once) counts on top: a slow page still reading a large
  // one is not sent away for a ping.
  const replyBound = REPLY_BOUND_FACTOR * (options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
  const helloBytes = new WeakMap<WebSocket, number>();
  const reply = (ws: WebSocket, answer: () => ServerMessage) => {
    if (ws.readyState !== 1) return;
    // 1013 (try again later): the page's link retries and starts over with a hello.
    if (ws.bufferedAmount > replyBound + (helloBytes.get(ws) ?? 0)) ws.close(1013, 'page not reading');
    else ws.send(JSON.stringify(answer()));
  };
  const broadcast = (message: ServerMessage) => {
    if (pages.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of pages.keys()) if (ws.readyState === 1) ws.send(text);
  };
  const visible = (record: TransitionRecord): TransitionRecord => {
    if (showPayloads || record.payload === undefined) return record;
    const { payload: _payload, ...rest } = record;
    return rest;
  };
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  // At least updateIntervalMs between batches by their `now`, never a wait longer than that (./flush-pace.ts).
  const pace = new FlushPace(updateIntervalMs);
  const flushAll = () => {
    flushTimer = null;
    const now = pace.fire();
    if (now === null) {
      schedule();
      return;
    }
    let full = false;
    for (const [ws, feed] of pages) {
      if (ws.readyState !== 1) continue;
      // A page behind on acknowledgements is flushed again when it acks; one with a full
      // socket is tried again at the next interval.
      if (feed.flush(now) === 'held' && ws.bufferedAmount > 0) full = true;
    }
    if (full) schedule();
  };
  function schedule(): void {
    if (flushTimer || closed || pages.size === 0) return;
    flushTimer = setTimeout(flushAll, pace.arm());
    flushTimer.unref?.();
  }
  const onUpdate = (update: InspectorUpdate) => {
    if (update.type === 'chart') {
      // Laid out for the pages open now; a page that opens later has it laid out by its hello.
      if (pages.size === 0) return;
      void layout(update.key, update.model).then((chart) => {
        if (chart && !closed) broadcast({ type: 'chart', chart });
      });
      return;
    }
    samples.note(update);
    if (pages.size === 0) return;
    for (const feed of pages.values()) feed.update(update);
    schedule();
  };
  const unsubscribe = inspector.subscribe(onUpdate);
  samples.follow(inspector.actors());

  const hello = async (ws: WebSocket) => {
    const charts = (await Promise.all(chartModels().map(({ key, model }) => layout(key, model)))).filter(
      (c): c is LaidOutChart => c !== null,
    );
    if (closed || ws.readyState !== 1) return;
    const rows = inspector.rows();
    const followed = rows.filter((row) => row.group === 'supervisor').map((row) => row.id);
    const details = followed.flatMap((id) => {
      const actor = inspector.get(id);
      return actor ? [{ actor, records: inspector.recordsOf(id).map(visible), reset: true }] : [];
    });
    const text = JSON.stringify({
      type: 'hello',
      now: Date.now(),
      server: info,
      charts,
      actors: rows,
      details,
      samples: samples.list(),
    } satisfies ServerMessage);
    helloBytes.set(ws, Buffer.byteLength(text));
    ws.send(text);
    const feed = new PageFeed({
      inspector,
      send: (message) => send(ws, message),
      bufferedBytes: () => ws.bufferedAmount,
      visible,
      ...(options.maxUnackedBatches === undefined ? {} : { maxUnacked: options.maxUnackedBatches }),
      ...(options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
    });
    feed.greet(rows, followed);
    pages.set(ws, feed);
  };

  // ── session recordings, one per page that asked ──
  const recordings = new PageRecordings(supervisor, {
    send,
    ...(options.maxRecordingRecords === undefined ? {} : { maxRecords: options.maxRecordingRecords }),
  });

  const onPageMessage = (ws: WebSocket, data: unknown) => {
    let message: PageMessage;
    try {
      message = JSON.parse(String(data)) as PageMessage;
    } catch {
      return;
    }
    try {
      if (message.type === 'ping')
        reply(ws, () => ({ type: 'pong', ...(typeof message.id === 'number' ? { id: message.id } : {}) }));
      else if (message.type === 'send')
        reply(ws, () => ({
          type: 'result',
          ...runPageCommand(message, { allowEvents, inspector, supervisor }),
        }));
      else if (message.type === 'select') {
        const id = typeof message.actor === 'string' ? message.actor : null;
        pages.get(ws)?.select(id);
        if (id !== null && !closed) refreshFigures(id);
        schedule();
      } else if (message.type === 'record') {
        reply(ws, () => recordings.record(ws, message.on === true, !closed));
      } else if (message.type === 'ack') {
        pages.get(ws)?.ack(Number(message.seq));
        schedule();
      }
    } catch (error) {
      reply(ws, () => ({ type: 'result', ok: false, message: scrubText(String(error)) }));
    }
  };

  // ── HTTP ──
  let guard: GuardConfig;
  const onRequest = createPageRequestHandler({ token, script, trace: options.trace }, () => guard);

  const admission = new PageAdmission(options.maxPages ?? DEFAULT_MAX_PAGES, warn);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server = createServer(onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    // Closing: a page that comes (back) now would keep close() waiting for it.
    if (closed) {
      socket.destroy();
      return;
    }
    if (refuseUpgrade(req, socket, guard)) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      if (closed) {
        ws.terminate();
        return;
      }
      if (!admission.admit(ws, wss.clients)) return;
      ws.on('message', (data) => onPageMessage(ws, data));
      ws.on('close', () => {
        pages.delete(ws);
        recordings.stop(ws);
      });
      void hello(ws);
    });
  });

  try {
    await listen(server, portNumber(options.port) ?? 0, host);
  } catch (error) {
    // Not started (a port in use): nothing of it stays subscribed to the collector.
    closed = true;
    unsubscribe();
    if (!given) inspector.dispose();
    throw unresolvedHost(error, host) ?? error;
  }
  const bound = server.address() as AddressInfo;
  const port = bound.port;
  const hosts = new Set<string>([
    ...LOOPBACK_HOSTS,
    ...(options.allowedHosts ?? []).map((h) => bracket(canonicalHost(h))),
  ]);
  // The URL names the server as a browser opens it (./bind-address.ts); `Host` may name it so too.
  const urlHost = urlHostOf(host, bound.address);
  if (!isWildcardHost(host)) hosts.add(bracket(host)).add(urlHost);
  guard = { port, token, hosts };
  if (!boundToLoopback(host, bound.address)) {
    warn(
      `linkvisor inspector: listening on ${bracket(host)}:${port}, reachable from other machines. ` +
        'Anyone with the URL can watch your links; prefer the default 127.0.0.1 and an SSH tunnel.',
    );
  }

  // ── figures from status(): queue lengths of the links pages follow; late attachment ──
  const { poll, refreshFigures } = createStatusPoll(supervisor, inspector, lateAttach, function* () {
    for (const feed of pages.values()) yield* feed.following();
  });
  poll();
  const timer = setInterval(poll, options.statusIntervalMs ?? 1_000);
  timer.unref();
  const sampler = setInterval(sampleNow, 1_000);
  sampler.unref();

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    host,
    server,
    inspector,
    pages: () => [...pages.values()].map((feed) => feed.stats()),
    recordings: () => recordings.size,
    refusedPages: () => admission.refused,
    close() {
      closing ??= (async () => {
        closed = true;
        clearInterval(timer);
        clearInterval(sampler);
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = null;
        unsubscribe();
        recordings.stopAll();
        if (!given) inspector.dispose();
        const layoutsStopped = layout.stop();
        const goodbyes = [...wss.clients].map(
          (ws) =>
            new Promise<void>((resolve) => {
              const limit = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 500);
              ws.once('close', () => {
                clearTimeout(limit);
                resolve();
              });
              // 1012 (service restart): the page's link retries and finds the next server.
              ws.close(1012, 'inspector restart');
            }),
        );
        await Promise.all(goodbyes);
        // Pages whose upgrade was under way when the goodbyes were said.
        for (const ws of wss.clients) ws.terminate();
        pages.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await layoutsStopped;
      })();
      return closing;
    },
  };
}
