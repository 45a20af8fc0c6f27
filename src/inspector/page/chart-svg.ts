/**
 * Draws a laid-out chart (computed by the server with elkjs from the machine definition) as SVG:
 * states as rounded boxes (compound states as frames holding their children, final states with a
 * double border), start dots, transitions as orthogonal arrows labelled with their event, named
 * delay (`after reconnectDelay`) or `always`, and guards in brackets. `setActive` lights the
 * active states; `flash` briefly marks the transitions a record took.
 */
import type { LaidOutChart, LaidOutEdge, TransitionRecord } from '../protocol.js';
import { s } from './dom.js';

export interface ChartView {
  svg: SVGSVGElement;
  setActive(paths: readonly string[]): void;
  flash(record: TransitionRecord): void;
}

const PAD = 8;

function pathData(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** The event part of a label (`after heartbeatTimeout [tooManyMissed]` → `after heartbeatTimeout`). */
function eventOf(label: string): string {
  const at = label.indexOf(' [');
  return at >= 0 ? label.slice(0, at) : label;
}

const within = (path: string, ancestor: string) =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);

let uid = 0;

export function renderChart(chart: LaidOutChart): ChartView {
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

  const states = new Map<string, SVGGElement>();
  const layerStates = s('g', { class: 'states' });
  // Parents first so that children are drawn on top.
  const ordered = [...chart.states].sort((a, b) => a.path.split('.').length - b.path.split('.').length);
  for (const state of ordered) {
    const compound = state.type === 'compound' || state.type === 'parallel';
    const g = s('g', {
      class: `state ${state.type}${state.tags.map((t) => ` tag-${t}`).join('')}`,
      'data-path': state.path,
      transform: `translate(${state.x},${state.y})`,
    });
    if (state.description) g.append(s('title', {}, `${state.key}: ${state.description}`));
    g.append(s('rect', { class: 'box', width: state.width, height: state.height, rx: compound ? 10 : 8 }));
    if (state.type === 'final') {
      g.append(
        s('rect', { class: 'inner', x: 3, y: 3, width: state.width - 6, height: state.height - 6, rx: 6 }),
      );
    }
    g.append(
      s(
        'text',
        {
          class: 'name',
          x: compound ? 10 : state.width / 2,
          y: compound ? 17 : 19,
          'text-anchor': compound ? 'start' : 'middle',
        },
        state.key,
      ),
    );
    state.notes.forEach((note, i) => {
      g.append(
        s(
          'text',
          {
            class: 'note',
            x: compound ? 10 : state.width / 2,
            y: (compound ? 31 : 33) + i * 13,
            'text-anchor': compound ? 'start' : 'middle',
          },
          `↺ ${note}`,
        ),
      );
    });
    states.set(state.path, g);
    layerStates.append(g);
  }

  const layerEdges = s('g', { class: 'edges' });
  const layerLabels = s('g', { class: 'labels' });
  const edges: { edge: LaidOutEdge; path: SVGPathElement; label: SVGGElement | null }[] = [];
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
    if (edge.lines.length > 0 && edge.labelBox) {
      const box = edge.labelBox;
      label = s(
        'g',
        { class: `edge-label ${edge.kind}`, transform: `translate(${box.x},${box.y})` },
        s('rect', { x: -1, y: -1, width: box.width + 2, height: box.height + 2, rx: 3 }),
        ...edge.lines.map((line, i) =>
          s(
            'text',
            { class: line.kind, x: box.width / 2, y: 11 + i * 13, 'text-anchor': 'middle' },
            line.text,
          ),
        ),
      );
      layerLabels.append(label);
    }
    edges.push({ edge, path, label });
  }
  const layerInitials = s('g', { class: 'initials' });
  for (const dot of chart.initials)
    layerInitials.append(s('circle', { class: 'initial', cx: dot.x, cy: dot.y, r: 4.5 }));

  svg.append(layerStates, layerEdges, layerInitials, layerLabels);

  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    svg,
    setActive(paths) {
      const active = new Set(paths);
      const leaves = new Set(paths.filter((p) => !paths.some((q) => q.startsWith(`${p}.`))));
      for (const [path, g] of states) {
        g.classList.toggle('active', active.has(path));
        g.classList.toggle('current', leaves.has(path));
      }
    },
    flash(record) {
      clearTimeout(flashTimer);
      for (const { path, label } of edges) {
        path.classList.remove('hot');
        label?.classList.remove('hot');
      }
      if (!record.from) return;
      for (const { edge, path, label } of edges) {
        const byEvent =
          edge.lines.some((l) => eventOf(l.text) === record.event) && within(record.from, edge.source);
        const byChain =
          edge.kind === 'always' && within(record.to, edge.target) && !within(record.from, edge.target);
        if (!byEvent && !byChain) continue;
        path.classList.add('hot');
        label?.classList.add('hot');
      }
      flashTimer = setTimeout(() => {
        for (const { path, label } of edges) {
          path.classList.remove('hot');
          label?.classList.remove('hot');
        }
      }, 2500);
    },
  };
}
