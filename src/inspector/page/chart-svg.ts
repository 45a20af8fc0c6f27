/**
 * Draws a laid-out chart (computed by the server with elkjs from the machine definition) once, as
 * SVG, for every actor of that machine: states as rounded boxes (compound states as frames holding
 * their children, final states with a double border), start dots, transitions as orthogonal
 * arrows labelled with their event, named delay (`after reconnectDelay`) or `always`, guards in
 * brackets. Drawn at scale 1 (text 11–13 px): the box around it scrolls.
 *
 * Live: `population` writes each state's count (`9,588 · 37/s`: actors in it, entries per second)
 * and tints it by its share of the chart's actors. `focus` shows one actor: its active states lit,
 * the transition it took last in orange, and the transitions its configuration rules out hidden
 * (a `[isInProcess]` edge on a ws link). Clicking a state calls `onState(path)`.
 *
 * A grace state (`connectGrace`) shows its copies of its sibling's transitions as a badge under its
 * name (`also as connecting on` `transport.open, link.close`; each copy in full in its tooltip), not
 * as edges. When the actor took a copy, the sibling's edge of that event is lit, the badge too, and
 * the grace state is outlined as where the step came from (class `via`).
 */
import type { ActorInfo, EdgeLine, LaidOutChart, LaidOutEdge, TransitionRecord } from '../protocol.js';
import { h, s } from './dom.js';
import { tone } from './format.js';
import { unreachable } from './guard-verdict.js';
import { eventOf, graceStandIns, takenEdges, within } from './taken-edges.js';

export interface ChartView {
  element: HTMLElement;
  /** `counts`: actors per state path (ancestors included); `total`: actors of this chart. */
  population(
    counts: ReadonlyMap<string, number> | undefined,
    total: number,
    rate: (path: string) => number,
  ): void;
  /** One actor in view (null: none). `last` is the transition it took last. */
  focus(actor: ActorInfo | null, last: TransitionRecord | null): void;
}

const PAD = 8;
const integer = new Intl.NumberFormat('en');

function pathData(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

const leafName = (path: string) => path.split('.').pop() ?? path;

/** A state's colour: the first meaningful name from the top (`attempt.ready.unmonitored` → ready). */
function toneOfPath(path: string): ReturnType<typeof tone> {
  for (const key of path.split('.')) {
    const t = tone(key);
    if (t !== 'off') return t;
  }
  return 'off';
}

/** Scrolls `box` so that `target` is in it (centred, when it was not in view), and the box into
 * its own scrolling column when it is out of it. */
function bringIntoView(box: HTMLElement, target: Element): void {
  const outer = box.getBoundingClientRect();
  const inner = target.getBoundingClientRect();
  const inside =
    inner.top >= outer.top &&
    inner.bottom <= outer.bottom &&
    inner.left >= outer.left &&
    inner.right <= outer.right;
  if (!inside) {
    box.scrollTop += inner.top + inner.height / 2 - (outer.top + box.clientHeight / 2);
    box.scrollLeft += inner.left + inner.width / 2 - (outer.left + box.clientWidth / 2);
  }
  const column = box.closest('.charts');
  if (column) {
    const c = column.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (b.top < c.top || b.top > c.bottom - 80) column.scrollTop += b.top - c.top - 40;
  }
}

let uid = 0;

interface DrawnEdge {
  edge: LaidOutEdge;
  path: SVGPathElement;
  label: SVGGElement | null;
  texts: SVGTextElement[];
}

export function renderChart(
  chart: LaidOutChart,
  options: { onState(path: string): void; title: string },
): ChartView {
  const id = `c${++uid}`;
  const width = chart.width + PAD * 2;
  const height = chart.height + PAD * 2;
  const svg = s('svg', {
    class: 'chart',
    viewBox: `${-PAD} ${-PAD} ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `statechart ${chart.machine}`,
    'data-machine': chart.machine,
  });
  const defs = s('defs');
  for (const kind of ['event', 'after', 'always', 'hot']) {
    defs.append(
      s(
        'marker',
        {
          id: `${id}-arrow-${kind}`,
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` }),
      ),
    );
  }
  svg.append(defs);

  const states = new Map<
    string,
    { g: SVGGElement; share: SVGRectElement | null; pop: SVGTextElement; badge: SVGTextElement[] }
  >();
  const layerStates = s('g', { class: 'states' });
  // Parents first so that children are drawn on top.
  const ordered = [...chart.states].sort((a, b) => a.path.split('.').length - b.path.split('.').length);
  for (const state of ordered) {
    const compound = state.type === 'compound' || state.type === 'parallel';
    const g = s('g', {
      class: `state ${state.type} tone-${toneOfPath(state.path)}${state.tags.map((t) => ` tag-${t}`).join('')}`,
      'data-path': state.path,
      transform: `translate(${state.x},${state.y})`,
    });
    const grace = state.grace
      ? `\nAlso takes, as ${leafName(state.grace.of)} does (drawn from ${leafName(state.grace.of)}): ${state.grace.detail.join('; ')}.`
      : '';
    g.append(
      s(
        'title',
        {},
        `${state.path}${state.description ? `: ${state.description}` : ''}${grace} (click: list the actors in it)`,
      ),
    );
    g.append(s('rect', { class: 'box', width: state.width, height: state.height, rx: compound ? 10 : 8 }));
    const share = compound
      ? null
      : s('rect', { class: 'share', width: state.width, height: state.height, rx: 8, 'fill-opacity': 0 });
    if (share) g.append(share);
    if (state.type === 'final') {
      g.append(
        s('rect', { class: 'inner', x: 3, y: 3, width: state.width - 6, height: state.height - 6, rx: 6 }),
      );
    }
    const nameX = compound ? 10 : state.width / 2;
    const anchor = compound ? 'start' : 'middle';
    g.append(s('text', { class: 'name', x: nameX, y: compound ? 18 : 19, 'text-anchor': anchor }, state.key));
    const pop = s('text', {
      class: 'pop',
      x: compound ? state.width - 10 : state.width / 2,
      y: compound ? 18 : 36,
      'text-anchor': compound ? 'end' : 'middle',
    });
    g.append(pop);
    state.notes.forEach((note, i) => {
      g.append(
        s(
          'text',
          { class: 'note', x: nameX, y: (compound ? 34 : 52) + i * 15, 'text-anchor': anchor },
          `↺ ${note}`,
        ),
      );
    });
    // The grace badge, under the notes (the layout sized the box for both).
    const badge = (state.grace?.text ?? []).map((line, i) =>
      s(
        'text',
        {
          class: `grace${i === 0 ? ' heading' : ''}`,
          x: nameX,
          y: (compound ? 34 : 52) + (state.notes.length + i) * 15,
          'text-anchor': anchor,
        },
        line,
      ),
    );
    g.append(...badge);
    if (state.grace) g.dataset.graceFor = state.grace.of;
    g.addEventListener('click', (event) => {
      event.stopPropagation();
      options.onState(state.path);
    });
    states.set(state.path, { g, share, pop, badge });
    layerStates.append(g);
  }

  const layerEdges = s('g', { class: 'edges' });
  const layerLabels = s('g', { class: 'labels' });
  const edges: DrawnEdge[] = [];
  for (const edge of chart.edges) {
    const kind = edge.kind === 'after' || edge.kind === 'always' ? edge.kind : 'event';
    const path = s('path', {
      class: `edge ${edge.kind}`,
      d: pathData(edge.points),
      'marker-end': `url(#${id}-arrow-${kind})`,
      'data-source': edge.source,
      'data-target': edge.target,
    });
    layerEdges.append(path);
    let label: SVGGElement | null = null;
    const texts: SVGTextElement[] = [];
    if (edge.lines.length > 0 && edge.labelBox) {
      const box = edge.labelBox;
      for (const [i, line] of edge.lines.entries()) {
        texts.push(
          s(
            'text',
            { class: line.kind, x: box.width / 2, y: 12 + i * 15, 'text-anchor': 'middle' },
            line.text,
          ),
        );
      }
      label = s(
        'g',
        { class: `edge-label ${edge.kind}`, transform: `translate(${box.x},${box.y})` },
        s('rect', { x: -1, y: -1, width: box.width + 2, height: box.height + 2, rx: 3 }),
        ...texts,
      );
      layerLabels.append(label);
    }
    edges.push({ edge, path, label, texts });
  }
  const layerInitials = s('g', { class: 'initials' });
  for (const dot of chart.initials)
    layerInitials.append(s('circle', { class: 'initial', cx: dot.x, cy: dot.y, r: 4.5 }));
  svg.append(layerStates, layerEdges, layerInitials, layerLabels);

  // Transitions drawn once, as notes (they leave any state, or many states for one target).
  const sharedLines: { lines: EdgeLine[]; el: HTMLElement }[] = [];
  const shared = h(
    'ul',
    { class: 'shared' },
    ...chart.shared.map((t) => {
      const from = t.sources.length === 0 ? 'any state' : t.sources.map(leafName).join(', ');
      const byText = new Map<string, EdgeLine[]>();
      for (const line of t.lines) byText.set(line.text, [...(byText.get(line.text) ?? []), line]);
      const events = [...byText].map(([text, lines]) => {
        const el = h('span', { class: `event ${lines[0]?.kind ?? 'event'}` }, text);
        sharedLines.push({ lines, el });
        return el;
      });
      return h(
        'li',
        {},
        h('span', { class: 'from' }, from),
        ' ─',
        ...events,
        '→ ',
        h('b', {}, leafName(t.target)),
      );
    }),
  );
  const allLines = [
    ...chart.edges.flatMap((e) => e.lines),
    ...chart.shared.flatMap((t) => t.lines),
    ...chart.states.flatMap((state) => state.grace?.copies ?? []),
  ];
  const title = h('span', { class: 'total' });
  const box = h('div', { class: 'chart-box' }, svg);
  // Actual size (text 11–13 px) by default; "fit" shows the whole chart in the box, smaller.
  const actual = h(
    'button',
    { type: 'button', 'aria-pressed': 'true', title: 'actual size: text 11 px or more' },
    '1:1',
  );
  const fit = h(
    'button',
    { type: 'button', 'aria-pressed': 'false', title: 'the whole chart in view' },
    'fit',
  );
  const zoom = (whole: boolean) => {
    const scale = whole
      ? Math.min(1, (box.clientWidth - 16) / width, (box.clientHeight - 12) / height || 1)
      : 1;
    svg.setAttribute('width', String(Math.floor(width * scale)));
    svg.setAttribute('height', String(Math.floor(height * scale)));
    actual.setAttribute('aria-pressed', String(!whole));
    fit.setAttribute('aria-pressed', String(whole));
  };
  actual.addEventListener('click', () => zoom(false));
  fit.addEventListener('click', () => zoom(true));
  const element = h(
    'section',
    { class: 'chart-card', 'data-chart': chart.key },
    h('header', {}, h('h2', {}, options.title), title, h('span', { class: 'zoom' }, actual, fit)),
    chart.shared.length > 0 ? shared : null,
    box,
  );

  let lastFocus: string | null = null;
  return {
    element,
    population(counts, total, rate) {
      title.textContent = `${integer.format(total)} actor${total === 1 ? '' : 's'}`;
      for (const [path, { g, share, pop }] of states) {
        const n = counts?.get(path) ?? 0;
        const perSecond = rate(path);
        const shown =
          perSecond >= 0.05 ? ` · ${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s` : '';
        const text = n > 0 || shown ? `${integer.format(n)}${shown}` : '';
        if (pop.textContent !== text) pop.textContent = text;
        g.classList.toggle('populated', n > 0);
        g.dataset.count = String(n);
        if (share) {
          const opacity = total > 0 && n > 0 ? (0.1 + 0.5 * (n / total)).toFixed(2) : '0';
          if (share.getAttribute('fill-opacity') !== opacity) share.setAttribute('fill-opacity', opacity);
        }
      }
    },
    focus(actor, last) {
      const active = new Set(actor?.active ?? []);
      const paths = actor?.active ?? [];
      const leaves = new Set(paths.filter((p) => !paths.some((q) => q.startsWith(`${p}.`))));
      // A step through a grace state's copy: its sibling's edge stands for it.
      const standIns = graceStandIns(chart.states, last);
      const siblings = new Set(standIns.values());
      for (const [path, { g, badge }] of states) {
        g.classList.toggle('active', active.has(path));
        g.classList.toggle('current', leaves.has(path));
        g.classList.toggle('via', standIns.has(path));
        for (const line of badge) line.classList.toggle('hot', standIns.has(path));
      }
      const config = actor?.config ?? {};
      const taken = takenEdges(chart.edges, last, standIns);
      for (const { edge, path, label, texts } of edges) {
        const hidden = edge.lines.map((line) => unreachable(line, allLines, config));
        const allHidden = edge.lines.length > 0 && hidden.every(Boolean);
        path.classList.toggle('ruled-out', allHidden);
        label?.classList.toggle('ruled-out', allHidden);
        for (const [i, text] of texts.entries()) text.classList.toggle('ruled-out', hidden[i] === true);
        const hot = taken.has(edge.id);
        path.classList.toggle('hot', hot);
        label?.classList.toggle('hot', hot);
      }
      let anyShared = false;
      for (const { lines, el } of sharedLines) {
        const out = lines.every((line) => unreachable(line, allLines, config));
        el.classList.toggle('ruled-out', out);
        if (!out) anyShared = true;
        el.classList.toggle(
          'hot',
          !!last?.from &&
            lines.some(
              (l) =>
                eventOf(l.text) === last.event && (within(last.from, l.source) || siblings.has(l.source)),
            ),
        );
      }
      for (const li of Array.from(shared.children)) {
        li.classList.toggle('ruled-out', li.querySelector('.event:not(.ruled-out)') === null);
      }
      shared.hidden = !anyShared;
      // The current state is always in view: scroll the box to it when it moves.
      const current = [...leaves].pop();
      const key = actor ? `${actor.id}|${current}` : null;
      if (current && key !== lastFocus) {
        const g = states.get(current)?.g;
        if (g) bringIntoView(box, g);
      }
      lastFocus = key;
    },
  };
}
