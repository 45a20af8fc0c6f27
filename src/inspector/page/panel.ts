/**
 * One actor's panel: its id, chart and public state; live figures (next retry countdown,
 * attempts, heartbeat round trip, queue length, last error); its statechart with the active
 * state lit; its timeline. With `allowEvents`, buttons for the commands the server accepts.
 */
import type { ActorInfo, Figures, LaidOutChart, TransitionRecord } from '../protocol.js';
import { type ChartView, renderChart } from './chart-svg.js';
import { h } from './dom.js';
import { duration, tone } from './format.js';
import { createTimeline, type TimelineView } from './timeline.js';

export interface PanelOptions {
  showPayloads: boolean;
  showRoutine: () => boolean;
  commands: string[];
  send: (actor: string, type: string) => void;
  /** Server clock → page clock. */
  toLocal: (serverMs: number) => number;
}

export interface Panel {
  element: HTMLElement;
  update(actor: ActorInfo): void;
  figures(figures: Figures): void;
  record(record: TransitionRecord): void;
  chart(chart: LaidOutChart): void;
  refilter(): void;
  /** Updates the retry countdown (called a few times a second). */
  tick(): void;
}

function chip(label: string, value: string, extra: Record<string, string> = {}): HTMLElement {
  return h(
    'span',
    { class: 'chip', ...extra },
    h('span', { class: 'k' }, label),
    h('span', { class: 'v' }, value),
  );
}

export function createPanel(actor: ActorInfo, options: PanelOptions): Panel {
  let info = actor;
  let view: ChartView | null = null;
  let retryAt: number | null = null;
  const badge = h('span', { class: 'badge' });
  const url = h('span', { class: 'url' });
  const figuresRow = h('div', { class: 'figures' });
  const chartBox = h(
    'div',
    { class: 'chart-box' },
    h('div', { class: 'placeholder' }, 'laying out the chart…'),
  );
  const timeline: TimelineView = createTimeline(options);
  const body = h('div', { class: 'body' }, chartBox, timeline.element);
  // Click the chart: fit to the panel ⇄ actual size (scroll).
  chartBox.addEventListener('click', () => chartBox.classList.toggle('actual'));
  const commands =
    options.commands.length > 0
      ? h(
          'span',
          { class: 'commands' },
          ...options.commands.map((type) => {
            const button = h('button', { type: 'button', title: `send ${type} to ${actor.id}` }, type);
            button.addEventListener('click', () => options.send(info.id, type));
            return button;
          }),
        )
      : null;
  const element = h(
    'section',
    { class: `panel group-${actor.group}`, id: `actor-${actor.id}`, 'data-actor': actor.id },
    h(
      'header',
      {},
      h('h2', {}, actor.id),
      h('span', { class: 'machine' }, actor.machine),
      badge,
      url,
      commands,
    ),
    figuresRow,
    body,
  );

  const renderFigures = (f: Figures) => {
    retryAt = f.retryAt ? options.toLocal(f.retryAt) : null;
    const chips: HTMLElement[] = [];
    if (f.retryAt) chips.push(chip('next retry', '', { class: 'chip countdown warn' }));
    if (f.attempt !== undefined) {
      chips.push(chip('attempt', f.maxAttempts ? `${f.attempt} / ${f.maxAttempts}` : String(f.attempt)));
    }
    if (f.nextDelayMs !== undefined && f.nextDelayMs !== null)
      chips.push(chip('delay', duration(f.nextDelayMs)));
    if (f.rttMs !== undefined) chips.push(chip('RTT', duration(f.rttMs)));
    if (f.missedPongs) chips.push(chip('missed pongs', String(f.missedPongs), { class: 'chip warn' }));
    if (f.queue) chips.push(chip('queue', `${f.queue.messages} msg · ${f.queue.bytes} B`));
    if (f.readyCount !== undefined) chips.push(chip('ready', `${f.readyCount}×`));
    if (f.peers !== undefined) chips.push(chip('links', `${f.ready ?? 0} ready / ${f.peers}`));
    if (f.reconnectEnabled !== undefined) chips.push(chip('reconnect', f.reconnectEnabled ? 'on' : 'off'));
    if (f.probes !== undefined) chips.push(chip('probes', String(f.probes)));
    if (f.failures) chips.push(chip('failures', String(f.failures), { class: 'chip warn' }));
    if (f.failure) chips.push(chip('failed', f.failure, { class: 'chip bad' }));
    else if (f.lastError) chips.push(chip('last error', f.lastError, { class: 'chip muted' }));
    figuresRow.replaceChildren(...chips);
    url.textContent = f.url ?? '';
    tick();
  };

  const tick = () => {
    const el = figuresRow.querySelector('.countdown .v');
    if (!el || retryAt === null) return;
    const left = retryAt - Date.now();
    el.textContent = left > 0 ? `in ${duration(left)}` : 'now';
  };

  const update = (next: ActorInfo) => {
    info = next;
    badge.textContent = next.status === 'active' ? next.state : `${next.state} (${next.status})`;
    badge.className = `badge ${tone(next.state)}`;
    element.classList.toggle('ended', next.status !== 'active');
    element.dataset.state = next.state;
    view?.setActive(next.active);
    renderFigures(next.figures);
  };

  update(actor);
  return {
    element,
    update,
    figures(f) {
      info = { ...info, figures: f };
      renderFigures(f);
    },
    record(record) {
      timeline.add(record);
      view?.flash(record);
    },
    chart(chart) {
      view = renderChart(chart);
      chartBox.replaceChildren(view.svg);
      // A big chart gets the panel's whole width, its timeline goes below it.
      body.classList.toggle('wide', chart.width > 700);
      view.setActive(info.active);
    },
    refilter: () => timeline.refilter(),
    tick,
  };
}
