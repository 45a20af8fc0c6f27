/**
 * The charts, read from the machine definitions and laid out with elkjs: every state is placed
 * inside its parent, every transition between two states is an arrow with a label (or, when it
 * leaves any state or many states for one target, a single note), delayed ones carry their named
 * delay; few crossings; labels sized for text of at least 11 px. A grace state (`meta.graceFor`)
 * keeps its own edges; its copies of its sibling's transitions are a badge on it, not edges.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { type ChartModel, chartStates, describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { layoutChart } from '../../src/inspector/layout-chart.js';

describe('chart model and layout', () => {
  it('reads delays by name, guards as text, and invoke done/error by their actor', () => {
    const model = describeChart(connectionMachine);
    const after = model.transitions.filter((t) => t.kind === 'after').map((t) => t.delay);
    expect(after).toEqual(
      expect.arrayContaining(['connectTimeout', 'handshakeTimeout', 'reconnectDelay', 'closeTimeout']),
    );
    expect(model.transitions.some((t) => t.guard === '!shouldRetry' && t.kind === 'always')).toBe(true);
    expect(model.transitions.some((t) => t.guard === 'autoConnect && isInProcess')).toBe(true);
    const watcher = describeChart(watcherMachine);
    expect(watcher.transitions.some((t) => t.event === 'done probe')).toBe(true);
    expect(watcher.transitions.some((t) => t.event === 'error probe')).toBe(true);
  });

  for (const machine of [connectionMachine, socketMachine, watcherMachine]) {
    it(`lays out the ${machine.id} chart: states inside their parents, an arrow per pair of states`, async () => {
      const model = describeChart(machine);
      const chart = await layoutChart(machine.id, model);
      const byPath = new Map(chart.states.map((s) => [s.path, s]));
      for (const state of chartStates(model).filter((s) => s.path !== '')) {
        const placed = byPath.get(state.path);
        expect(placed, state.path).toBeDefined();
        if (!placed) continue;
        expect(placed.width).toBeGreaterThan(0);
        const parentPath = state.path.includes('.') ? state.path.slice(0, state.path.lastIndexOf('.')) : '';
        const parent = byPath.get(parentPath);
        const box = parent ?? { x: 0, y: 0, width: chart.width, height: chart.height };
        expect(placed.x).toBeGreaterThanOrEqual(box.x);
        expect(placed.y).toBeGreaterThanOrEqual(box.y);
        expect(placed.x + placed.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
        expect(placed.y + placed.height).toBeLessThanOrEqual(box.y + box.height + 0.5);
      }
      const drawn = chart.edges.filter((e) => e.kind !== 'initial');
      const badges = chart.states.flatMap((s) => s.grace?.copies ?? []);
      const lines = [...drawn, ...chart.shared].flatMap((e) => e.lines);
      const key = (l: { source: string; event: string; order: number }) =>
        `${l.source}|${l.event}|${l.order}`;
      const onEdges = new Set(lines.map(key));
      const onBadges = new Set(badges.map(key));
      // Every transition that changes state is drawn once: on an edge or a note, or (a grace
      // state's copy of its sibling's) on the grace state's badge, never both.
      const order = new Map<string, number>();
      for (const t of model.transitions) {
        const at = `${t.source}|${t.eventType}`;
        const n = order.get(at) ?? 0;
        order.set(at, n + 1);
        if (t.targets.length === 0) continue;
        const k = `${t.source}|${t.eventType}|${n}`;
        expect(onEdges.has(k) !== onBadges.has(k), `${k}: drawn once`).toBe(true);
        expect(onBadges.has(k), k).toBe(t.repeats !== undefined);
      }
      for (const edge of chart.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    });
  }

  it('draws a transition that leaves every state once, as a note, not as an edge per state', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine));
    const terminate = chart.shared.filter((t) => t.lines.some((l) => l.text === 'link.terminate'));
    expect(terminate).toHaveLength(1);
    expect(terminate[0]?.sources).toEqual([]); // any state
    expect(terminate[0]?.target).toBe('closed');
    const close = chart.shared.find(
      (t) => t.lines.some((l) => l.text === 'link.close') && t.target === 'closed',
    );
    expect(close?.sources).toEqual(expect.arrayContaining(['idle', 'suspended', 'reconnecting']));
    for (const edge of chart.edges) {
      expect(edge.lines.map((l) => l.text)).not.toContain('link.terminate');
      if (edge.target === 'closed') expect(edge.lines.map((l) => l.text)).not.toContain('link.close');
    }
    // Every line knows its guard, source and order, for the page to hide what an actor cannot take.
    const inProcess = chart.edges.flatMap((e) => e.lines).filter((l) => l.guard === 'isInProcess');
    expect(inProcess.length).toBeGreaterThan(0);
    expect(inProcess.every((l) => typeof l.order === 'number' && l.event !== undefined)).toBe(true);
  });

  it('draws a grace state with its own edges and a badge for its copies of its sibling', async () => {
    const model = describeChart(connectionMachine);
    const chart = await layoutChart('connection', model);
    const state = (path: string) => chart.states.find((s) => s.path === path);
    const from = (source: string) => chart.edges.filter((e) => e.source === source);
    // connectGrace: only its I/O turn's edge; transport.open and link.close are connecting's.
    expect(from('attempt.connectGrace').flatMap((e) => e.lines.map((l) => l.text))).toEqual(['after ioTurn']);
    expect(chart.shared.flatMap((t) => t.lines).some((l) => l.source === 'attempt.connectGrace')).toBe(false);
    const connect = state('attempt.connectGrace')?.grace;
    expect(connect?.of).toBe('attempt.connecting');
    expect(connect?.copies.map((l) => l.text)).toEqual([
      'transport.open [resumes]',
      'transport.open [hasHandshake]',
      'transport.open [settlesFirst]',
      'transport.open',
      'link.close',
    ]);
    expect(connect?.copies.every((l) => l.source === 'attempt.connectGrace')).toBe(true);
    expect(connect?.text).toEqual(['also as connecting on', 'transport.open, link.close']);
    expect(connect?.detail).toContain('transport.open [resumes] → resuming');
    // The sibling's edges stand for the copies: connecting still draws every one of them.
    expect(from('attempt.connecting').flatMap((e) => e.lines.map((l) => l.text))).toEqual(
      expect.arrayContaining(['transport.open [resumes]', 'transport.open [hasHandshake]', 'transport.open']),
    );
    // graceTurn: its three `after ioTurn` branches are its own; the pong is awaitingPong's.
    expect(
      from('attempt.ready.graceTurn')
        .flatMap((e) => e.lines.map((l) => l.text))
        .sort(),
    ).toEqual(['after ioTurn', 'after ioTurn [peerNeverAnswered]', 'after ioTurn [tooManyMissed]']);
    const pong = state('attempt.ready.graceTurn')?.grace;
    expect(pong?.of).toBe('attempt.ready.awaitingPong');
    expect(pong?.copies.map((l) => l.text)).toEqual(['heartbeat.pong [stableWithinRest]', 'heartbeat.pong']);
    // The box has room for the badge: 11 px text, one 15 px line each.
    for (const s of [state('attempt.connectGrace'), state('attempt.ready.graceTurn')]) {
      const longest = Math.max(...(s?.grace?.text ?? []).map((t) => t.length));
      expect(s?.width ?? 0).toBeGreaterThanOrEqual(longest * 11 * 0.6);
      expect(s?.height ?? 0).toBeGreaterThanOrEqual(46 + (s?.grace?.text.length ?? 0) * 15);
    }
    // Only states with the marker have a badge (whatever grace states the chart has).
    const marked = chartStates(model)
      .filter((s) => s.graceFor)
      .map((s) => s.path);
    expect(marked).toEqual(expect.arrayContaining(['attempt.connectGrace', 'attempt.ready.graceTurn']));
    expect(chart.states.filter((s) => s.grace).map((s) => s.path)).toEqual(marked);
  });

  it('draws a grace transition that differs from its sibling’s as an edge, and only the same as a copy', async () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'waiting',
      states: {
        waiting: {
          after: { patience: 'grace' },
          on: {
            answer: [{ guard: 'good', target: 'done', actions: 'keep' }, { target: 'done' }],
            cancel: { target: 'done', actions: 'drop' },
            retry: { target: 'waiting', reenter: true },
            note: { actions: 'log' },
            nudge: 'done',
          },
        },
        grace: {
          meta: { graceFor: 'waiting' },
          after: { turn: 'done' },
          on: {
            // The same list: copies.
            answer: [{ guard: 'good', target: 'done', actions: 'keep' }, { target: 'done' }],
            note: { actions: 'log' },
            // Another action, another target, another guard, a missing branch: its own.
            cancel: { target: 'done', actions: 'keepAnyway' },
            retry: { target: 'grace', reenter: true },
            nudge: { target: 'done', guard: 'allowed' },
            only: 'done',
          },
        },
        done: { type: 'final' },
      },
    });
    const model = describeChart(machine);
    expect(model.root.children.find((s) => s.key === 'grace')?.graceFor).toBe('waiting');
    const repeated = model.transitions.filter((t) => t.repeats).map((t) => `${t.event} ${t.guard ?? ''}`);
    expect(repeated).toEqual(['answer good', 'answer ', 'note ']);
    const chart = await layoutChart('demo', model);
    const own = chart.edges
      .filter((e) => e.source === 'grace')
      .flatMap((e) => e.lines.map((l) => l.text))
      .sort();
    expect(own).toEqual(['after turn', 'cancel', 'nudge [allowed]', 'only', 'retry']);
    const grace = chart.states.find((s) => s.path === 'grace');
    expect(grace?.grace?.copies.map((l) => l.text)).toEqual(['answer [good]', 'answer', 'note']);
    expect(grace?.grace?.text).toEqual(['also as waiting on', 'answer, note']);
    expect(grace?.grace?.detail).toEqual(['answer [good] → done', 'answer → done', '↺ note']);
    // A copied transition that changes no state is not a note of the grace state either.
    expect(grace?.notes).toEqual([]);
    expect(chart.states.find((s) => s.path === 'waiting')?.notes).toEqual(['note']);
  });

  it('ignores a graceFor that names no sibling: everything is drawn', async () => {
    const twin = (graceFor: unknown): ChartModel =>
      describeChart(
        createMachine({
          id: 'odd',
          initial: 'a',
          states: {
            a: { on: { go: 'c' } },
            b: { meta: { graceFor }, on: { go: 'c' } },
            c: { initial: 'a', states: { a: { on: { go: '#odd.a' } } } },
          },
        }),
      );
    for (const graceFor of ['nowhere', 'b', 'c.a', 7, undefined]) {
      const model = twin(graceFor);
      expect(
        model.transitions.filter((t) => t.repeats),
        String(graceFor),
      ).toEqual([]);
      expect(chartStates(model).filter((s) => s.graceFor)).toEqual([]);
      const chart = await layoutChart('odd', model);
      expect(chart.edges.filter((e) => e.source === 'b').flatMap((e) => e.lines.map((l) => l.text))).toEqual([
        'go',
      ]);
    }
    // Named right, it is a copy.
    expect(twin('a').transitions.find((t) => t.source === 'b')?.repeats).toBe('a');
  });

  it('lays the connection chart out with few crossings (31 before shared notes and these options)', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine));
    // 6 before issue 14 added coolingDown, rejoining and the refresh edge (15 measured with them):
    // the layout options were tuned for the smaller chart; re-tuning them is left to the inspector.
    // 17 measured with issue 11's connecting → ready.settling edge (a fresh link's open in one step);
    // 28 with the timeouts' I/O turns (ready.graceTurn, attempt.connectGrace: their copies of their
    // sibling's transitions are drawn again). Nesting each grace under the state it extends drew 20
    // but cost the heartbeat +18 % bytes a cycle; not drawing the copies (a note on the grace state)
    // measured 15: BENCHMARKS.md round 13 (layout). Round 14 (drawing) built that convention
    // (meta.graceFor, the copies a badge on the grace state, ./grace-badges.ts): 15 crossings, 48
    // edges. Round 14 (grace) added attempt.handshakeGrace and attempt.resumeGrace (35 drawn the old
    // way): 16 with the convention, 52 edges; elkjs is seeded, so the count is the same every run.
    // Round 18 (cli heartbeat) added ready.paused and its two edges: 17. Round 18 (timeout) added
    // attempt.resolving (a per-attempt function settling before the socket) and the nine edges
    // into it beside connecting's (every way an attempt starts, 63 edges): 31, wherever it is placed
    // among the attempt's states (31 to 41 measured); re-tuning the layout is left to the inspector.
    expect(crossings(chart.edges.map((e) => e.points))).toBeLessThanOrEqual(31);
    // Edge labels are sized for 11 px text (0.6 em per glyph) and one 15 px line each.
    for (const edge of chart.edges) {
      if (!edge.labelBox) continue;
      const longest = Math.max(...edge.lines.map((l) => l.text.length));
      expect(edge.labelBox.width).toBeGreaterThanOrEqual(longest * 11 * 0.6);
      expect(edge.labelBox.height).toBeGreaterThanOrEqual(edge.lines.length * 15);
    }
  });
});

type Point = { x: number; y: number };

/** Crossings between orthogonal segments of different edges. */
function crossings(edges: Point[][]): number {
  const segments = edges.map((points) => points.slice(1).map((p, i) => [points[i] as Point, p] as const));
  const inside = (v: number, a: number, b: number) => v > Math.min(a, b) + 0.5 && v < Math.max(a, b) - 0.5;
  let n = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      for (const a of segments[i] ?? []) {
        for (const b of segments[j] ?? []) {
          const aFlat = a[0].y === a[1].y;
          if (aFlat === (b[0].y === b[1].y)) continue;
          const [flat, upright] = aFlat ? [a, b] : [b, a];
          if (inside(upright[0].x, flat[0].x, flat[1].x) && inside(flat[0].y, upright[0].y, upright[1].y))
            n++;
        }
      }
    }
  }
  return n;
}
