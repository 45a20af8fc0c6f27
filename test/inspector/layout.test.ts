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
import { farewellMachine } from '../../machines/farewell.machine.js';
import { greetingMachine } from '../../machines/greeting.machine.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { shardMachine } from '../../machines/shard.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { layoutChart } from '../../src/inspector/layout-chart.js';
import type { LaidOutChart } from '../../src/inspector/protocol.js';
import { crossings, measureChart } from './chart-measures.js';
import { layoutInThread } from './elk-in-thread.js';

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
      const chart = await layoutChart(machine.id, model, layoutInThread);
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
        // A straight edge is drawn as the way through the transient state whose decision it takes.
        if (t.via !== undefined) {
          expect(onEdges.has(k) || onBadges.has(k), `${k}: drawn through ${t.via}`).toBe(false);
          continue;
        }
        expect(onEdges.has(k) !== onBadges.has(k), `${k}: drawn once`).toBe(true);
        expect(onBadges.has(k), k).toBe(t.repeats !== undefined);
      }
      for (const edge of chart.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    });
  }

  it('draws a transition that leaves every state once, as a note, not as an edge per state', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine), layoutInThread);
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

  it('leaves out the straight edges to reconnecting: the way through disconnected draws them', async () => {
    const model = describeChart(connectionMachine);
    const straight = model.transitions.filter((t) => t.via !== undefined);
    expect(straight.map((t) => `${t.source} ${t.event} [${t.guard}] → ${t.targets} via ${t.via}`)).toEqual([
      'attempt transport.closed [backoffRetry] → reconnecting via disconnected',
      'attempt.ready transport.closed [backoffRetry] → reconnecting via disconnected',
    ]);
    const chart = await layoutChart('connection', model, layoutInThread);
    const lines = [...chart.edges, ...chart.shared].flatMap((e) => e.lines.map((l) => l.text));
    expect(lines.filter((text) => text.startsWith('transport.closed [backoff'))).toEqual([]);
    expect(chart.edges.some((e) => e.source === 'attempt.ready' && e.target === 'disconnected')).toBe(true);
  });

  it('draws a grace state with its own edges and a badge for its copies of its sibling', async () => {
    const model = describeChart(connectionMachine);
    const chart = await layoutChart('connection', model, layoutInThread);
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
      'transport.open [readingPaused]',
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
    const chart = await layoutChart('demo', model, layoutInThread);
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
      const chart = await layoutChart('odd', model, layoutInThread);
      expect(chart.edges.filter((e) => e.source === 'b').flatMap((e) => e.lines.map((l) => l.text))).toEqual([
        'go',
      ]);
    }
    // Named right, it is a copy.
    expect(twin('a').transitions.find((t) => t.source === 'b')?.repeats).toBe('a');
  });

  it('lays the connection chart out with few crossings (31 before the junction and cycle breaking)', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine), layoutInThread);
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
    // among the attempt's states (31 to 41 measured). Round 19 (layout): the five states that
    // start an attempt (at resolving, connecting or ready) each draw one trunk into a junction
    // inside attempt, which branches to the three (15 edges drawn as 8): 10; cycles broken
    // against the machine's state order (GREEDY_MODEL_ORDER): 2.
    expect(crossings(chart.edges.map((e) => e.points))).toBeLessThanOrEqual(2);
    // Edge labels are sized for 11 px text (0.6 em per glyph) and one 15 px line each.
    for (const edge of chart.edges) {
      if (!edge.labelBox) continue;
      const longest = Math.max(...edge.lines.map((l) => l.text.length));
      expect(edge.labelBox.width).toBeGreaterThanOrEqual(longest * 11 * 0.6);
      expect(edge.labelBox.height).toBeGreaterThanOrEqual(edge.lines.length * 15);
    }
  });
});

/** The bounds each chart's drawing is held to (round 19 (layout) measured; sizes with ~5 % room for
 * a longer label). Before the round: connection 31 crossings, 4325 × 2152 px; session 639 × 365. */
const BOUNDS = [
  { machine: connectionMachine, crossings: 2, width: 3480, height: 2350 },
  { machine: socketMachine, crossings: 0, width: 450, height: 915 },
  { machine: shardMachine, crossings: 0, width: 220, height: 330 },
  { machine: sessionMachine, crossings: 0, width: 465, height: 615 },
  // Round 31 (i31watch): the two `held` states took the watcher's drawing from ≤ 750 × 980 to 1186 × 1168.
  { machine: watcherMachine, crossings: 0, width: 1250, height: 1230 },
  { machine: greetingMachine, crossings: 0, width: 350, height: 265 },
  // Round 35 (i35serverrev): one chart per server (idle, waiting, seven edges), drawn at 453 wide.
  { machine: farewellMachine, crossings: 0, width: 500, height: 400 },
];

describe('every chart reads at a glance', () => {
  for (const bound of BOUNDS) {
    it(`draws the ${bound.machine.id} chart with ≤ ${bound.crossings} crossings, no edge through a state or label, no label over another or a state`, async () => {
      const chart = await layoutChart(bound.machine.id, describeChart(bound.machine), layoutInThread);
      const measured = measureChart(chart);
      expect(measured.crossings).toBeLessThanOrEqual(bound.crossings);
      expect(measured.throughStates).toBe(0);
      expect(measured.labelOverlaps).toBe(0);
      expect(measured.throughLabels).toBe(0);
      expect(measured.width).toBeLessThanOrEqual(bound.width);
      expect(measured.height).toBeLessThanOrEqual(bound.height);
      // Every edge is orthogonal (within elkjs's sub-pixel rounding), also where a trunk meets its
      // branch at a junction.
      for (const edge of chart.edges) {
        for (const [i, p] of edge.points.slice(1).entries()) {
          const q = edge.points[i] as { x: number; y: number };
          const straight = Math.abs(p.x - q.x) < 1 || Math.abs(p.y - q.y) < 1;
          expect(straight, `${edge.source} → ${edge.target} ${JSON.stringify([q, p])}`).toBe(true);
        }
      }
    });
  }

  it('draws the connection chart’s main path top to bottom: idle, connecting, ready, disconnected, reconnecting', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine), layoutInThread);
    const top = (path: string) => chart.states.find((s) => s.path === path)?.y ?? Number.NaN;
    const path = ['idle', 'attempt.connecting', 'attempt.ready', 'disconnected', 'reconnecting'].map(top);
    for (const [i, y] of path.slice(1).entries()) expect(y).toBeGreaterThan(path[i] as number);
  });

  it('draws the ways into an attempt through one junction: a trunk per source, a branch per target', async () => {
    const chart: LaidOutChart = await layoutChart(
      'connection',
      describeChart(connectionMachine),
      layoutInThread,
    );
    const starts = ['idle', 'disconnected', 'reconnecting', 'rejoining', 'coolingDown'];
    const targets = ['attempt.resolving', 'attempt.connecting', 'attempt.ready'];
    const key = (p: { x: number; y: number } | undefined) => `${p?.x},${p?.y}`;
    for (const target of targets) {
      const into = chart.edges.filter((e) => e.target === target && starts.includes(e.source));
      expect(into.map((e) => e.source).sort()).toEqual([...starts].sort());
      // One branch: the last two points are the same for every source.
      expect(new Set(into.map((e) => e.points.slice(-2).map(key).join(' '))).size).toBe(1);
    }
    for (const source of starts) {
      const out = chart.edges.filter((e) => e.source === source && targets.includes(e.target));
      // One trunk: every pair leaves from the same point, its lines a part of the trunk's label.
      expect(new Set(out.map((e) => key(e.points[0]))).size).toBe(1);
      const boxes = out.flatMap((e) => (e.labelBox ? [e.labelBox] : []));
      expect(boxes).toHaveLength(out.length);
      expect(new Set(boxes.map((b) => b.x)).size).toBe(1);
      for (const edge of out) {
        expect(edge.labelBox?.height).toBe(edge.lines.length * 15);
      }
    }
  });

  it('counts what it measures: an edge through a state, through a label, a label over a state', () => {
    const edge = (id: string, ends: string, xy: number[], labelBox?: object) => {
      const [source, target] = ends.split('→');
      const points = xy.flatMap((x, i) => (i % 2 === 0 ? [{ x, y: xy[i + 1] as number }] : []));
      return { id, source, target, lines: [], kind: 'event', points, ...(labelBox ? { labelBox } : {}) };
    };
    const chart = {
      width: 300,
      height: 200,
      states: [
        { path: 'a', key: 'a', type: 'atomic', x: 0, y: 0, width: 50, height: 40, notes: [], tags: [] },
        { path: 'b', key: 'b', type: 'atomic', x: 200, y: 0, width: 50, height: 40, notes: [], tags: [] },
        { path: 'c', key: 'c', type: 'atomic', x: 100, y: 0, width: 50, height: 40, notes: [], tags: [] },
      ],
      edges: [
        edge('e0', 'a→b', [50, 20, 200, 20]),
        edge('e1', 'c→a', [125, 40, 125, 100, 25, 100, 25, 40], { x: 60, y: 90, width: 40, height: 20 }),
        edge('e2', 'b→a', [225, 40, 225, 150, 75, 150, 75, 40], { x: 130, y: 10, width: 40, height: 20 }),
      ],
    } as unknown as LaidOutChart;
    const measured = measureChart(chart);
    expect(measured.throughStates).toBe(1); // e0 through c
    expect(measured.labelOverlaps).toBe(1); // e2's label over c
    expect(measured.throughLabels).toBe(2); // e0 through e2's label, e2 through e1's
    expect(measured.crossings).toBe(1); // e2's rise at x 75 across e1 at y 100
  });
});
