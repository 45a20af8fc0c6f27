/**
 * The inspector page (bundled by esbuild into one script, served by the inspector server). One
 * screen: the top bar (the page's own link to the server, links ready), the supervisor strip
 * (state, sparklines, up/down edges), then the actor list, one chart per machine with the live
 * population of each state, and the selected actor (figures, timeline).
 *
 * Data flow: messages from the server go into the store (./store.ts), each batch is acknowledged
 * (the server's backpressure), and the views redraw what changed at most once per animation
 * frame. The store is the seam for other sources: a saved trace (./trace-cursor.ts) is drawn by
 * feeding a second store the page's view of each step, while the live store keeps up with the
 * server underneath; "live" switches back.
 */
import { parseTrace, type Trace } from '../../trace/trace-format.js';
import type { ServerMessage } from '../protocol.js';
import { createActorList } from './actor-list.js';
import { type ChartView, renderChart } from './chart-svg.js';
import { createDetail } from './detail.js';
import { h } from './dom.js';
import { duration } from './format.js';
import { connectToServer } from './server-link.js';
import { PageStore } from './store.js';
import { createSupervisorView } from './supervisor-view.js';
import { createTraceBar } from './trace-bar.js';
import { TraceCursor } from './trace-cursor.js';

/** Charts in this order first (the rest after, by key). */
const CHART_ORDER = ['connection', 'socket', 'watcher'];
const integer = new Intl.NumberFormat('en');

const token = new URLSearchParams(location.search).get('token') ?? '';
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;

/** The server's supervisor, always kept up to date. */
const live = new PageStore();
/** What the views draw: `live`, or the step of a trace being stepped through. */
let store = live;
let cursor: TraceCursor | null = null;
let traceAt = 0;
const toLocal = (serverMs: number) => serverMs + store.offset;

// ── static layout ──

const linkStatus = h('span', { class: 'link-status busy' }, 'connecting…');
const summary = h('span', { class: 'summary' });
const routineToggle = h('input', { type: 'checkbox', id: 'show-routine' });
const notice = h('div', { class: 'notice', hidden: true });
const supervisor = createSupervisorView({ select });
const list = createActorList({
  actors: () => store.actors,
  order: () => store.order,
  selected: () => store.selected,
  select,
});
const detail = createDetail({
  showPayloads: () => store.server?.showPayloads ?? false,
  showRoutine: () => routineToggle.checked,
  commands: (machine) => (store.server?.allowEvents ? (store.server.commands[machine] ?? []) : []),
  send: (actor, type) => connection.send({ type: 'send', actor, event: { type } }),
  toLocal,
});
const traceBar = createTraceBar({
  open: (file) => void openTrace(file),
  step: showStep,
  leave: leaveTrace,
  record: (on) => connection.send({ type: 'record', on }),
});
const chartsColumn = h(
  'div',
  { class: 'charts' },
  h('p', { class: 'placeholder' }, 'waiting for the server…'),
);
document.body.append(
  h(
    'header',
    { class: 'top' },
    h('h1', {}, 'linkvisor ', h('span', {}, 'inspector')),
    linkStatus,
    summary,
    traceBar.element,
    h('label', { class: 'toggle' }, routineToggle, ' show heartbeat & polls'),
  ),
  notice,
  supervisor.element,
  h('div', { class: 'workspace' }, list.element, chartsColumn, detail.element),
);
routineToggle.addEventListener('change', () => detail.refilter());

// ── charts: one per machine, drawn once ──

let chartViews = new Map<string, ChartView>();
function buildCharts(): void {
  const keys = [...store.charts.keys()].sort((a, b) => {
    const ia = CHART_ORDER.indexOf(a);
    const ib = CHART_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  if (keys.join() === [...chartViews.keys()].join()) return;
  chartViews = new Map();
  for (const key of keys) {
    const chart = store.charts.get(key);
    if (!chart) continue;
    chartViews.set(
      key,
      renderChart(chart, {
        title: chart.machine === key ? key : `${chart.machine} (${key})`,
        onState: (path) => list.setStateFilter({ chart: key, path }),
      }),
    );
  }
  chartsColumn.replaceChildren(...[...chartViews.values()].map((view) => view.element));
}

// ── selection ──

function select(id: string | null): void {
  if (cursor) {
    // A choice of the user's: stop following the actor that moves.
    traceBar.setFollowing(false);
    store.select(id);
    showStep(traceAt);
    return;
  }
  store.select(id);
  connection.send({ type: 'select', actor: id });
  history.replaceState(
    null,
    '',
    id ? `#actor=${encodeURIComponent(id)}` : location.pathname + location.search,
  );
  invalidate();
}

/** Selects in the live store (the server follows it) even while a trace is shown. */
function selectLive(id: string | null): void {
  if (!cursor) {
    select(id);
    return;
  }
  live.select(id);
  connection.send({ type: 'select', actor: id });
}

function selectionFromHash(): string | null {
  const match = /^#actor=(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1] as string) : null;
}

// ── drawing, at most once per frame ──

let frame = 0;
/** When the last hello arrived (performance.now()), until the frame that drew it. */
let helloAt: number | null = null;
function invalidate(): void {
  if (frame === 0) frame = requestAnimationFrame(draw);
}

function draw(): void {
  frame = 0;
  const dirty = store.dirty;
  if (dirty.charts) buildCharts();
  if (dirty.population || dirty.charts) {
    const now = Date.now();
    for (const [key, view] of chartViews) {
      view.population(store.population.get(key), store.chartTotals.get(key) ?? 0, (path) =>
        store.rate(key, path, now),
      );
    }
  }
  if (dirty.list) list.render(true);
  const selected = store.selected;
  const followed = selected ? store.followed.get(selected) : undefined;
  if (dirty.details || dirty.charts) {
    detail.show(followed, selected);
    for (const [key, view] of chartViews) {
      const mine = followed && followed.actor.chart === key;
      view.focus(mine ? followed.actor : null, mine ? (followed.records.last() ?? null) : null);
    }
  }
  if (dirty.samples || dirty.details) {
    const socket = [...store.followed.values()].find((f) => f.actor.group === 'supervisor');
    supervisor.draw(socket, store.samples.toArray(), toLocal);
  }
  if (dirty.list) {
    let links = 0;
    let ready = 0;
    for (const row of store.actors.values()) {
      if (row.group !== 'links' || row.status !== 'active') continue;
      links++;
      if (row.state === 'ready') ready++;
    }
    summary.textContent = `${integer.format(ready)} of ${integer.format(links)} links ready · ${integer.format(store.actors.size)} actors`;
  }
  dirty.list = dirty.population = dirty.charts = dirty.details = dirty.samples = false;
  if (helloAt !== null) {
    // How long the page took from the hello to the frame that drew it (the benchmark reads it).
    document.body.dataset.helloMs = String(Math.round(performance.now() - helloAt));
    helloAt = null;
  }
  document.body.dataset.painted = String(Number(document.body.dataset.painted ?? 0) + 1);
}

// ── the connection ──

let retryAt: number | null = null;
let retryText = '';
const connection = connectToServer(wsUrl, {
  message: onMessage,
  status(status) {
    document.body.dataset.link = status.state;
    retryAt = status.retryAt ?? null;
    linkStatus.className = `link-status ${status.state === 'live' ? 'good' : status.state === 'failed' ? 'bad' : 'warn'}`;
    if (status.state === 'live') {
      linkStatus.textContent = 'live';
      retryText = '';
    } else if (status.state === 'reconnecting') {
      retryText = `server unreachable (${status.reason ?? 'unknown'}) · attempt ${status.attempt}`;
    } else {
      // `failed` with its reason: a refused token says to open the URL the inspector printed.
      linkStatus.textContent = status.reason ? `${status.state}: ${status.reason}` : status.state;
      retryText = '';
    }
    tickBanner();
  },
});

function tickBanner(): void {
  if (retryAt === null || !retryText) return;
  const left = retryAt - Date.now();
  linkStatus.textContent = `${retryText} · retry ${left > 0 ? `in ${duration(left)}` : 'now'}`;
}

setInterval(() => {
  tickBanner();
  detail.tick();
  // Entry rates decay while nothing happens.
  store.dirty.population = true;
  invalidate();
}, 500);

function onMessage(message: ServerMessage): void {
  if (message.type === 'hello') helloAt = performance.now();
  live.apply(message);
  if (message.type === 'batch') connection.send({ type: 'ack', seq: message.seq });
  if (message.type === 'hello') {
    document.body.dataset.hellos = String(live.hellos);
    traceBar.setRecording(false);
    if (!cursor) traceBar.showLive(message.server.record === true);
    if (message.server.trace && !preloaded) {
      preloaded = true;
      void openPreloaded();
    }
    const server = message.server;
    notice.hidden = !server.lateAttach;
    notice.className = 'notice';
    notice.textContent = server.lateAttach
      ? 'The inspector was attached after the supervisor started: pass createInspector().inspect to createSupervisor({ inspect }) to see every actor from its start.'
      : '';
    // Keep (or restore) the selection across a restart of the server.
    const wanted = live.selected ?? selectionFromHash();
    live.selected = null;
    if (wanted && live.actors.has(wanted)) selectLive(wanted);
    else if (wanted) selectLive(null);
  }
  if (message.type === 'recording') traceBar.setRecording(message.on);
  if (message.type === 'trace') {
    traceBar.setRecording(false);
    download(message.text);
    if (message.reason) {
      // The server stopped the recording itself (its bound): say so, never a silent stop.
      notice.hidden = false;
      notice.className = 'notice bad';
      notice.textContent = message.reason;
    }
  }
  if (message.type === 'result') {
    notice.hidden = false;
    notice.className = `notice ${message.ok ? 'good' : 'bad'}`;
    notice.textContent = message.message;
  }
  invalidate();
}

// ── a saved trace ──

let preloaded = false;

function say(ok: boolean, text: string): void {
  notice.hidden = false;
  notice.className = `notice ${ok ? 'good' : 'bad'}`;
  notice.textContent = text;
}

async function openTrace(file: File): Promise<void> {
  try {
    enterTrace(parseTrace(await file.text()), file.name);
  } catch (error) {
    say(false, `${file.name}: ${(error as Error).message}`);
  }
}

/** The trace the server was started with (`linkvisor inspect trace.jsonl`). */
async function openPreloaded(): Promise<void> {
  try {
    const response = await fetch(`/trace.jsonl?token=${encodeURIComponent(token)}`);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    enterTrace(parseTrace(await response.text()), 'trace.jsonl');
  } catch (error) {
    say(false, `trace.jsonl: ${(error as Error).message}`);
  }
}

function enterTrace(trace: Trace, name: string): void {
  if (trace.records.length === 0) {
    say(false, `${name}: the trace has no steps`);
    return;
  }
  cursor = new TraceCursor(trace);
  store = new PageStore();
  store.selected = live.selected;
  traceBar.setFollowing(true);
  traceBar.showTrace(name, cursor.length);
  say(
    true,
    `${name}: ${trace.records.length} steps recorded ${trace.header.startedAt} by linkvisor ${trace.header.linkvisor}. ← / → to step; "live" to go back.`,
  );
  showStep(0);
}

function showStep(n: number): void {
  if (!cursor) return;
  traceAt = n;
  if (traceBar.following()) store.selected = cursor.actorAt(n);
  store.apply(cursor.helloAt(n, store.selected, [...live.charts.values()]));
  const record = cursor.trace.records[n];
  let text = '';
  if (record?.kind === 'actor') text = `${record.actor} ${record.existing ? 'was there' : 'appears'}`;
  else if (record) {
    const event = record.source.kind === 'timer' ? `after ${record.source.delay}` : record.event.type;
    text = `${record.actor} · ${event} · ${store.actors.get(record.actor)?.leaf ?? ''}`;
  }
  traceBar.showStep(n, record ? `${text} · +${duration(record.atMs)}` : '');
  invalidate();
}

function leaveTrace(): void {
  cursor = null;
  store = live;
  live.markAll();
  notice.hidden = true;
  traceBar.showLive(live.server?.record === true);
  select(live.selected);
  invalidate();
}

/** Saves a recorded session as a .jsonl file. */
function download(text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const a = h('a', { href: url, download: `linkvisor-${stamp}.jsonl`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say(
    true,
    `saved linkvisor-${stamp}.jsonl (${text.split('\n').length - 2} steps): open it here, or replay it with \`linkvisor replay\`.`,
  );
}
