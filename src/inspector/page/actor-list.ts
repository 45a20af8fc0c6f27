/**
 * The actor list: every actor in natural order of ids (`l2` before `l10`), filtered by name (a
 * substring of the id), by state (a state chip with its count, or a state clicked in a chart) and
 * by group (supervisor, links, watchers, or a group of endpoints: `link:<group>/<n>`); virtualised — only the rows in view (plus a few) exist in the DOM, whatever the number
 * of actors. Clicking a row selects the actor.
 */
import type { ActorGroup, ActorRow } from '../protocol.js';
import { h } from './dom.js';
import { tone } from './format.js';
import { pathsOf } from './store.js';

/** Height of one row, in px (fixed: the list places rows by index). */
export const ROW_PX = 26;
/** Rows drawn above and below the visible ones. */
const OVERSCAN = 8;

export interface StateFilter {
  /** A public state name (`ready`), from a chip. */
  state?: string;
  /** A state path of a chart (`attempt.ready`), from a click in the chart. */
  chart?: string;
  path?: string;
}

export interface ActorListView {
  element: HTMLElement;
  /** Draws again (rows in view, counts) when `changed`, or after a scroll or a filter change. */
  render(changed: boolean): void;
  setStateFilter(filter: StateFilter | null): void;
  /** Ids that pass the filters, in order. */
  visibleIds(): readonly string[];
}

const integer = new Intl.NumberFormat('en');

const GROUPS: { value: '' | ActorGroup; label: string }[] = [
  { value: '', label: 'all groups' },
  { value: 'links', label: 'links' },
  { value: 'watchers', label: 'watchers' },
  { value: 'supervisor', label: 'supervisor' },
  { value: 'actors', label: 'other actors' },
];

/** The group of endpoints of a link id `link:<group>/<n>` (as the socket chart counts them). */
export function endpointGroup(id: string): string | null {
  const slash = id.lastIndexOf('/');
  return id.startsWith('link:') && slash > 5 ? id.slice(5, slash) : null;
}

export function createActorList(options: {
  /** The rows to list (a getter: the page switches between the live store and a trace). */
  actors: () => ReadonlyMap<string, ActorRow>;
  order: () => readonly string[];
  selected: () => string | null;
  select(id: string): void;
}): ActorListView {
  const name = h('input', {
    class: 'name-filter',
    type: 'search',
    placeholder: 'filter by name…',
    'aria-label': 'filter actors by name',
  });
  const group = h(
    'select',
    { class: 'group-filter', 'aria-label': 'filter actors by group' },
    ...GROUPS.map((g) => h('option', { value: g.value }, g.label)),
  );
  const chips = h('div', { class: 'state-chips', role: 'group', 'aria-label': 'filter actors by state' });
  const pill = h('div', { class: 'state-pill', hidden: true });
  const count = h('div', { class: 'list-count' });
  const spacer = h('div', { class: 'spacer' });
  const viewport = h('div', { class: 'viewport', tabindex: 0 }, spacer);
  const element = h(
    'section',
    { class: 'actor-list', 'aria-label': 'actors' },
    h('div', { class: 'controls' }, name, group),
    chips,
    pill,
    count,
    viewport,
  );

  let stateFilter: StateFilter | null = null;
  let shownGroups = '';
  let ids: string[] = [];
  let stale = true;
  const pool: HTMLElement[] = [];

  const passes = (row: ActorRow, text: string, wanted: string, ignoreState = false): boolean => {
    if (wanted.startsWith('endpoints:')) {
      if (endpointGroup(row.id) !== wanted.slice('endpoints:'.length)) return false;
    } else if (wanted && row.group !== wanted) return false;
    if (text && !row.id.toLowerCase().includes(text)) return false;
    if (!ignoreState && stateFilter) {
      if (stateFilter.state !== undefined && row.state !== stateFilter.state) return false;
      if (stateFilter.path !== undefined) {
        if (row.chart !== stateFilter.chart) return false;
        if (!pathsOf(row.leaf).includes(stateFilter.path)) return false;
      }
    }
    return true;
  };

  const refilter = () => {
    const text = name.value.trim().toLowerCase();
    const wanted = group.value;
    const perState = new Map<string, number>();
    const out: string[] = [];
    const endpoints = new Set<string>();
    for (const id of options.order()) {
      const endpoint = endpointGroup(id);
      if (endpoint !== null) endpoints.add(endpoint);
      const row = options.actors().get(id);
      if (!row || !passes(row, text, wanted, true)) continue;
      perState.set(row.state, (perState.get(row.state) ?? 0) + 1);
      if (passes(row, text, wanted)) out.push(id);
    }
    ids = out;
    const groupsKey = [...endpoints].join('\n');
    if (groupsKey !== shownGroups) {
      shownGroups = groupsKey;
      group.replaceChildren(
        ...GROUPS.map((g) => h('option', { value: g.value }, g.label)),
        ...[...endpoints].map((name) => h('option', { value: `endpoints:${name}` }, `endpoints ${name}/…`)),
      );
      group.value = wanted;
    }
    // Counts per state (of the actors that pass the name and group filters).
    const states = [...perState.entries()].sort((a, b) => b[1] - a[1]);
    chips.replaceChildren(
      ...states.map(([state, n]) => {
        const on = stateFilter?.state === state;
        const chip = h(
          'button',
          {
            type: 'button',
            class: `state-chip badge ${tone(state)}${on ? ' on' : ''}`,
            'data-state': state,
            'aria-pressed': on ? 'true' : 'false',
          },
          `${state || '—'} ${integer.format(n)}`,
        );
        chip.addEventListener('click', () => setStateFilter(on ? null : { state }));
        return chip;
      }),
    );
    pill.hidden = !stateFilter?.path;
    if (stateFilter?.path) {
      const clear = h('button', { type: 'button', 'aria-label': 'clear the state filter' }, '✕');
      clear.addEventListener('click', () => setStateFilter(null));
      pill.replaceChildren(`in ${stateFilter.chart} · ${stateFilter.path} `, clear);
    }
    const total = options.actors().size;
    count.textContent =
      ids.length === total
        ? `${integer.format(total)} actors`
        : `${integer.format(ids.length)} of ${integer.format(total)} actors`;
    element.dataset.shown = String(ids.length);
    spacer.style.height = `${ids.length * ROW_PX}px`;
    stale = false;
  };

  const drawRows = () => {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_PX) - OVERSCAN);
    const last = Math.min(
      ids.length,
      Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_PX) + OVERSCAN,
    );
    const needed = last - first;
    while (pool.length < needed) {
      const row = h(
        'div',
        { class: 'row', role: 'button', tabindex: -1 },
        h('span', { class: 'id' }),
        h('span', { class: 'badge' }),
      );
      row.addEventListener('click', () => {
        const id = row.dataset.actor;
        if (id) options.select(id);
      });
      pool.push(row);
      viewport.append(row);
    }
    const selected = options.selected();
    for (let i = 0; i < pool.length; i++) {
      const el = pool[i] as HTMLElement;
      const id = ids[first + i];
      const row = id === undefined ? undefined : options.actors().get(id);
      if (i >= needed || !row) {
        el.hidden = true;
        continue;
      }
      el.hidden = false;
      el.style.transform = `translateY(${(first + i) * ROW_PX}px)`;
      if (el.dataset.actor !== row.id) {
        el.dataset.actor = row.id;
        (el.firstChild as HTMLElement).textContent = row.id;
        el.title = row.id;
      }
      const badge = el.lastChild as HTMLElement;
      const text = row.status === 'active' ? row.state : `${row.state} (${row.status})`;
      if (badge.textContent !== text) {
        badge.textContent = text;
        badge.className = `badge ${tone(row.state)}`;
      }
      el.dataset.state = row.state;
      el.classList.toggle('selected', row.id === selected);
      el.classList.toggle('ended', row.status !== 'active');
    }
  };

  function setStateFilter(filter: StateFilter | null): void {
    stateFilter = filter;
    stale = true;
    viewport.scrollTop = 0;
    render(true);
  }

  function render(changed: boolean): void {
    if (changed || stale) refilter();
    drawRows();
  }

  name.addEventListener('input', () => setStateFilter(stateFilter));
  group.addEventListener('change', () => setStateFilter(stateFilter));
  viewport.addEventListener('scroll', () => drawRows(), { passive: true });
  viewport.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const at = ids.indexOf(options.selected() ?? '');
    const next = ids[Math.min(ids.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) options.select(next);
    const top = ids.indexOf(next ?? '') * ROW_PX;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + ROW_PX > viewport.scrollTop + viewport.clientHeight)
      viewport.scrollTop = top + ROW_PX - viewport.clientHeight;
  });

  return { element, render, setStateFilter, visibleIds: () => ids };
}
