/**
 * The inspector page (bundled by esbuild into one script, served by the inspector server): the
 * actor tree at the side, one panel per actor grouped as supervisor → links, watchers, and a
 * banner with the page's own link to the server (linkvisor's Link on the browser transport, so
 * a restarted server is found again by itself). Every `hello` from the server rebuilds the page
 * from scratch: after a restart the actors may be new ones.
 */
import type { ActorGroup, ActorInfo, LaidOutChart, ServerInfo, ServerMessage } from '../protocol.js';
import { h } from './dom.js';
import { duration, tone } from './format.js';
import { createPanel, type Panel } from './panel.js';
import { connectToServer } from './server-link.js';

const GROUPS: { group: ActorGroup; title: string }[] = [
  { group: 'supervisor', title: 'Supervisor' },
  { group: 'links', title: 'Links' },
  { group: 'watchers', title: 'Watchers' },
  { group: 'actors', title: 'Other actors' },
];

const token = new URLSearchParams(location.search).get('token') ?? '';
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;

const charts = new Map<string, LaidOutChart>();
const actors = new Map<string, ActorInfo>();
const panels = new Map<string, Panel>();
let server: ServerInfo | null = null;
let offset = 0;
let hellos = 0;

// ── static layout ──

const linkStatus = h('span', { class: 'link-status busy' }, 'connecting…');
const summary = h('span', { class: 'summary' });
const routineToggle = h('input', { type: 'checkbox', id: 'show-routine' });
const tree = h('nav', { class: 'tree', 'aria-label': 'actors' });
const main = h('main', { class: 'panels' });
const notice = h('div', { class: 'notice', hidden: true });
document.body.append(
  h(
    'header',
    { class: 'top' },
    h('h1', {}, 'linkvisor ', h('span', {}, 'inspector')),
    linkStatus,
    summary,
    h('label', { class: 'toggle' }, routineToggle, ' show heartbeat & polls'),
  ),
  notice,
  h('div', { class: 'layout' }, tree, main),
);
routineToggle.addEventListener('change', () => {
  for (const panel of panels.values()) panel.refilter();
});

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
      linkStatus.textContent = status.state;
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
  for (const panel of panels.values()) panel.tick();
}, 200);

// ── messages ──

function onMessage(message: ServerMessage): void {
  if ('now' in message) offset = Date.now() - message.now;
  switch (message.type) {
    case 'hello':
      hellos++;
      document.body.dataset.hellos = String(hellos);
      server = message.server;
      charts.clear();
      actors.clear();
      panels.clear();
      main.replaceChildren();
      for (const chart of message.charts) charts.set(chart.key, chart);
      for (const actor of message.actors) addActor(actor);
      for (const record of message.records) panels.get(record.actor)?.record(record);
      notice.hidden = !server.lateAttach;
      notice.textContent = server.lateAttach
        ? 'The inspector was attached after the supervisor started: pass createInspector().inspect to createSupervisor({ inspect }) to see every actor from its start.'
        : '';
      renderTree();
      break;
    case 'chart':
      charts.set(message.chart.key, message.chart);
      for (const actor of actors.values())
        if (actor.chart === message.chart.key) panels.get(actor.id)?.chart(message.chart);
      break;
    case 'actor':
      if (panels.has(message.actor.id)) {
        actors.set(message.actor.id, message.actor);
        panels.get(message.actor.id)?.update(message.actor);
      } else addActor(message.actor);
      renderTree();
      break;
    case 'removed':
      actors.delete(message.actor);
      panels.get(message.actor)?.element.remove();
      panels.delete(message.actor);
      renderTree();
      break;
    case 'record':
      panels.get(message.record.actor)?.record(message.record);
      break;
    case 'figures': {
      const actor = actors.get(message.actor);
      if (actor) actor.figures = message.figures;
      panels.get(message.actor)?.figures(message.figures);
      break;
    }
    case 'result':
      flashNotice(message.message, message.ok);
      break;
    case 'pong':
      break;
  }
}

function flashNotice(text: string, ok: boolean): void {
  notice.hidden = false;
  notice.className = `notice ${ok ? 'good' : 'bad'}`;
  notice.textContent = text;
}

function groupSection(group: ActorGroup): HTMLElement {
  let section = main.querySelector<HTMLElement>(`section.group[data-group="${group}"]`);
  if (section) return section;
  const meta = GROUPS.find((g) => g.group === group);
  section = h('section', { class: 'group', 'data-group': group }, h('h3', {}, meta?.title ?? group));
  const order = GROUPS.findIndex((g) => g.group === group);
  const after = Array.from(main.querySelectorAll<HTMLElement>('section.group')).find(
    (s) => GROUPS.findIndex((g) => g.group === s.dataset.group) > order,
  );
  main.insertBefore(section, after ?? null);
  return section;
}

function addActor(actor: ActorInfo): void {
  actors.set(actor.id, actor);
  const panel = createPanel(actor, {
    showPayloads: server?.showPayloads ?? false,
    showRoutine: () => routineToggle.checked,
    commands: server?.allowEvents ? (server.commands[actor.machine] ?? []) : [],
    send: (id, type) => connection.send({ type: 'send', actor: id, event: { type } }),
    toLocal: (serverMs) => serverMs + offset,
  });
  panels.set(actor.id, panel);
  const section = groupSection(actor.group);
  const siblings = Array.from(section.querySelectorAll<HTMLElement>(':scope > .panel'));
  const next = siblings.find((el) => (el.dataset.actor ?? '') > actor.id);
  section.insertBefore(panel.element, next ?? null);
  const chart = charts.get(actor.chart);
  if (chart) panel.chart(chart);
}

function renderTree(): void {
  const list = [...actors.values()];
  const ready = list.filter((a) => a.group === 'links' && a.state === 'ready').length;
  const links = list.filter((a) => a.group === 'links' && a.status === 'active').length;
  summary.textContent = `${ready} of ${links} links ready · ${list.length} actors`;
  const item = (actor: ActorInfo, depth: number) =>
    h(
      'li',
      { class: `depth-${depth}` },
      h(
        'a',
        { href: `#actor-${actor.id}` },
        h('span', { class: 'id' }, actor.id),
        h('span', { class: `badge ${tone(actor.state)}` }, actor.state),
      ),
    );
  const items: HTMLElement[] = [];
  const roots = list.filter((a) => !a.parent || !actors.has(a.parent));
  const visit = (actor: ActorInfo, depth: number) => {
    items.push(item(actor, depth));
    for (const child of list.filter((a) => a.parent === actor.id).sort((a, b) => a.id.localeCompare(b.id))) {
      visit(child, depth + 1);
    }
  };
  for (const root of roots.sort((a, b) => a.group.localeCompare(b.group) || a.id.localeCompare(b.id))) {
    visit(root, 0);
  }
  tree.replaceChildren(h('h3', {}, 'Actors'), h('ul', {}, ...items));
}
