/**
 * The supervisor at a glance, in one strip under the top bar: the socket actor's state, live and
 * ready links and the reconnect switch; ready links over the last minutes and reconnect attempts
 * per second (the storm); and the socket's timeline of edges — first link up, last link down,
 * groups up and down, the reconnect switch — newest first.
 */
import type { Sample } from '../protocol.js';
import { h } from './dom.js';
import { clockTime, tone } from './format.js';
import { createSparkline } from './sparkline.js';
import { type Followed, SAMPLE_CAPACITY } from './store.js';

export interface SupervisorView {
  element: HTMLElement;
  draw(socket: Followed | undefined, samples: readonly Sample[], toLocal: (serverMs: number) => number): void;
}

const EDGE_ROWS = 40;
const integer = new Intl.NumberFormat('en');

export function createSupervisorView(options: { select(id: string): void }): SupervisorView {
  const name = h(
    'button',
    { type: 'button', class: 'socket-name', title: 'select the socket actor' },
    'socket',
  );
  const badge = h('span', { class: 'badge' }, '…');
  const figures = h('div', { class: 'socket-figures' });
  const ready = createSparkline('ready links', 'ready', '');
  const attempts = createSparkline('reconnect attempts', 'attempts', '/s');
  const edges = h('ol', { class: 'socket-edges', 'aria-label': 'supervisor timeline' });
  const element = h(
    'section',
    { class: 'supervisor', 'aria-label': 'supervisor' },
    h('div', { class: 'socket-head' }, h('h2', {}, 'Supervisor'), name, badge, figures),
    ready.element,
    attempts.element,
    h('div', { class: 'socket-timeline' }, h('h3', {}, 'up / down, reconnect switch'), edges),
  );
  name.addEventListener('click', () => {
    if (name.dataset.actor) options.select(name.dataset.actor);
  });
  return {
    element,
    draw(socket, samples, toLocal) {
      if (socket) {
        const { actor } = socket;
        name.textContent = actor.id;
        name.dataset.actor = actor.id;
        badge.textContent = actor.state;
        badge.className = `badge ${tone(actor.state)}`;
        const f = actor.figures;
        figures.replaceChildren(
          h(
            'span',
            { class: 'figure' },
            h('b', {}, integer.format(f.ready ?? 0)),
            ` of ${integer.format(f.peers ?? 0)} links ready`,
          ),
          h(
            'span',
            { class: `figure ${f.reconnectEnabled === false ? 'off' : ''}` },
            `reconnect ${f.reconnectEnabled === false ? 'off' : 'on'}`,
          ),
        );
        const rows = socket.records
          .toArray()
          .filter((r) => r.from !== r.to || r.note || r.from === '')
          .slice(-EDGE_ROWS)
          .reverse()
          .map((r) =>
            h(
              'li',
              { class: `edge-row ${r.event.replace(/[^a-z]+/gi, '-')}` },
              h('span', { class: 'time' }, clockTime(toLocal(r.at))),
              h('span', { class: 'event' }, r.event),
              h('span', { class: 'note' }, r.note ?? (r.from ? `${r.from} → ${r.to}` : r.to)),
            ),
          );
        edges.replaceChildren(...rows);
      }
      ready.draw(
        samples.map((s) => s.ready),
        SAMPLE_CAPACITY,
      );
      attempts.draw(
        samples.map((s) => s.attempts),
        SAMPLE_CAPACITY,
      );
    },
  };
}
