/**
 * One actor's timeline: time, event, from → to with the reason, the retry scheduled; the newest at the
 * top, filtered by free text and, unless asked for, without the heartbeat's ping/pong cycle.
 * At most MAX_ROWS rows exist; the records themselves live in the store's ring buffer.
 */
import type { TransitionRecord } from '../protocol.js';
import { h } from './dom.js';
import { clockTime, duration, leaf } from './format.js';

const MAX_ROWS = 200;

/** A record of the heartbeat cycle inside `ready` (beating ⇄ awaitingPong) or a watcher's poll. */
export function isRoutine(record: TransitionRecord): boolean {
  const inside = (p: string) => p.startsWith('attempt.ready.') || /^(ready|down)\.(idle|probing)$/.test(p);
  const from = record.from.split('.').slice(0, -1).join('.');
  const to = record.to.split('.').slice(0, -1).join('.');
  return inside(record.from) && inside(record.to) && from === to && !record.reason;
}

/** `#2 in 400 ms`: the retry a change into reconnecting scheduled. */
function retryText(record: TransitionRecord): string {
  const attempt = record.attempt === undefined ? '' : `#${record.attempt}`;
  const next = record.nextDelayMs === undefined ? '' : `in ${duration(record.nextDelayMs)}`;
  return [attempt, next].filter(Boolean).join(' ');
}

export function recordText(record: TransitionRecord): string {
  return [record.event, record.from, record.to, record.reason ?? ''].join(' ').toLowerCase();
}

function row(
  record: TransitionRecord,
  showPayloads: boolean,
  toLocal: (ms: number) => number,
): HTMLTableRowElement {
  const same = record.from === record.to;
  const tr = h(
    'tr',
    { 'data-seq': record.seq, class: record.reason ? 'has-reason' : '' },
    h('td', { class: 'time' }, clockTime(toLocal(record.at))),
    h('td', { class: 'event' }, record.event),
    h(
      'td',
      { class: 'change' },
      record.from && !same ? h('span', { class: 'from', title: record.from }, leaf(record.from)) : '',
      record.from && !same ? ' → ' : '',
      h('span', { class: 'to', title: record.to }, leaf(record.to)),
      record.reason || record.note
        ? h('div', { class: record.reason ? 'reason' : 'note' }, record.reason ?? record.note ?? '')
        : null,
    ),
    h('td', { class: 'num' }, retryText(record)),
  );
  if (showPayloads && record.payload !== undefined) {
    tr.title = JSON.stringify(record.payload, null, 2);
    tr.classList.add('has-payload');
  }
  return tr;
}

export interface TimelineView {
  element: HTMLElement;
  /** Shows `records` (oldest first): new ones are prepended, anything else redraws. */
  show(records: readonly TransitionRecord[], owner: string): void;
  refilter(): void;
}

export function createTimeline(options: {
  showPayloads: () => boolean;
  showRoutine: () => boolean;
  toLocal: (serverMs: number) => number;
}): TimelineView {
  let records: readonly TransitionRecord[] = [];
  let newest = -1;
  let oldest = -1;
  let shownOwner = '';
  const filter = h('input', {
    class: 'filter',
    type: 'search',
    placeholder: 'filter: event, state, reason…',
    'aria-label': 'filter the timeline',
  });
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'timeline' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'time'),
        h('th', {}, 'event'),
        h('th', {}, 'from → to · reason'),
        h('th', { class: 'num', title: 'attempt number and the delay before it' }, 'retry'),
      ),
    ),
    body,
  );
  const element = h('div', { class: 'timeline-box' }, filter, h('div', { class: 'scroll' }, table));

  const visible = (record: TransitionRecord) => {
    if (!options.showRoutine() && isRoutine(record)) return false;
    const text = filter.value.trim().toLowerCase();
    return text === '' || recordText(record).includes(text);
  };
  const render = () => {
    const rows = [];
    for (let i = records.length - 1; i >= 0 && rows.length < MAX_ROWS; i--) {
      const record = records[i];
      if (record && visible(record)) rows.push(row(record, options.showPayloads(), options.toLocal));
    }
    body.replaceChildren(...rows);
  };
  filter.addEventListener('input', render);
  return {
    element,
    show(next, owner) {
      const first = next[0]?.seq ?? -1;
      const last = next[next.length - 1]?.seq ?? -1;
      const appended =
        owner === shownOwner && next.length > 0 && first >= oldest && oldest !== -1 && last >= newest;
      shownOwner = owner;
      const before = newest;
      records = next;
      oldest = first;
      newest = last;
      if (!appended) return render();
      const added = [];
      for (let i = next.length - 1; i >= 0; i--) {
        const record = next[i] as TransitionRecord;
        if (record.seq <= before) break;
        if (visible(record)) added.push(row(record, options.showPayloads(), options.toLocal));
      }
      if (added.length > 0) body.prepend(...added);
      while (body.rows.length > MAX_ROWS) body.deleteRow(-1);
    },
    refilter: render,
  };
}
