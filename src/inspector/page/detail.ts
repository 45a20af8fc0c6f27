/**
 * The selected actor in full: its id, machine, state and (redacted) URL; its live figures (next
 * retry counting down, attempt, delay, heartbeat round trip, queue, how often it became ready,
 * last error); with `allowEvents`, buttons for the commands the server accepts; and its timeline.
 * Its chart is not drawn here: the one chart of its machine lights its state.
 */
import type { Figures } from '../protocol.js';
import { h } from './dom.js';
import { figureChips } from './figure-chips.js';
import { duration, tone } from './format.js';
import type { Followed } from './store.js';
import { createTimeline } from './timeline.js';

export interface DetailView {
  element: HTMLElement;
  show(followed: Followed | undefined, selected: string | null): void;
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

export function createDetail(options: {
  showPayloads: () => boolean;
  showRoutine: () => boolean;
  commands: (machine: string) => string[];
  send: (actor: string, type: string) => void;
  toLocal: (serverMs: number) => number;
}): DetailView {
  const title = h('h2', {}, 'No actor selected');
  const machine = h('span', { class: 'machine' });
  const badge = h('span', { class: 'badge', hidden: true });
  const url = h('div', { class: 'url' });
  const commands = h('span', { class: 'commands' });
  const figuresRow = h('div', { class: 'figures' });
  const hint = h(
    'p',
    { class: 'hint' },
    'Select an actor in the list, or click a state in a chart to list the actors in it.',
  );
  const timeline = createTimeline(options);
  const element = h(
    'section',
    { class: 'detail', 'aria-label': 'selected actor' },
    h('header', {}, title, machine, badge, commands),
    url,
    figuresRow,
    hint,
    timeline.element,
  );
  let retryAt: number | null = null;
  let commandsOf = '';

  const renderFigures = (f: Figures) => {
    retryAt = f.retryAt ? options.toLocal(f.retryAt) : null;
    const chips = figureChips(f).map(({ label, value, tone: extra }) =>
      chip(label, value, extra ? { class: `chip ${extra}` } : {}),
    );
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

  return {
    element,
    show(followed, selected) {
      element.dataset.actor = followed?.actor.id ?? '';
      hint.hidden = followed !== undefined;
      timeline.element.hidden = followed === undefined;
      if (!followed) {
        title.textContent = selected ? `${selected}: loading…` : 'No actor selected';
        machine.textContent = '';
        badge.hidden = true;
        url.textContent = '';
        figuresRow.replaceChildren();
        commands.replaceChildren();
        commandsOf = '';
        element.dataset.state = '';
        return;
      }
      const { actor } = followed;
      title.textContent = actor.id;
      machine.textContent = actor.machine;
      badge.hidden = false;
      badge.textContent = actor.status === 'active' ? actor.state : `${actor.state} (${actor.status})`;
      badge.className = `badge ${tone(actor.state)}`;
      element.dataset.state = actor.state;
      if (commandsOf !== actor.id) {
        commandsOf = actor.id;
        commands.replaceChildren(
          ...options.commands(actor.machine).map((type) => {
            const button = h('button', { type: 'button', title: `send ${type} to ${actor.id}` }, type);
            button.addEventListener('click', () => options.send(actor.id, type));
            return button;
          }),
        );
      }
      renderFigures(actor.figures);
      timeline.show(followed.records.toArray(), actor.id);
    },
    refilter: () => timeline.refilter(),
    tick,
  };
}
