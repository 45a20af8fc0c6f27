/**
 * The page's logic that needs no browser, on the real laid-out connection chart: which
 * transitions an actor's configuration rules out (a ws link never takes `[isInProcess]`), which
 * edges a recorded step took (the deepest handler, then the eventless edges it ran through; for a
 * grace state's copy of its sibling's transition, the sibling's edge), and
 * the store: populations counted per state path, intermediate changes counted, timelines in a ring
 * of a fixed size.
 */
import { describe, expect, it } from 'vitest';
import { describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { layoutChart } from '../../src/inspector/layout-chart.js';
import { guardVerdict, unreachable } from '../../src/inspector/page/guard-verdict.js';
import { Ring } from '../../src/inspector/page/ring.js';
import { PageStore, TIMELINE_CAPACITY } from '../../src/inspector/page/store.js';
import { graceStandIns, takenEdges } from '../../src/inspector/page/taken-edges.js';
import type { ActorInfo, LaidOutEdge, ServerMessage } from '../../src/inspector/protocol.js';
import { layoutInThread } from './elk-in-thread.js';

const WS_LINK = { isInProcess: false, hasHandshake: false, autoConnect: true, heartbeatEnabled: true };

describe('guards fixed by an actor configuration', () => {
  it('reads names, !, && and || with three values', () => {
    expect(guardVerdict('isInProcess', WS_LINK)).toBe(false);
    expect(guardVerdict('!isInProcess', WS_LINK)).toBe(true);
    expect(guardVerdict('autoConnect && isInProcess', WS_LINK)).toBe(false);
    expect(guardVerdict('autoConnect && shouldRetry', WS_LINK)).toBeUndefined();
    expect(guardVerdict('isInProcess || shouldRetry', WS_LINK)).toBeUndefined();
    expect(guardVerdict('!(isInProcess || hasHandshake)', WS_LINK)).toBe(true);
    expect(guardVerdict('shouldRetry', {})).toBeUndefined();
    expect(guardVerdict(undefined, WS_LINK)).toBe(true);
  });

  it('rules out, on the connection chart, what a ws link cannot take, and nothing else', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine), layoutInThread);
    const lines = [...chart.edges.flatMap((e) => e.lines), ...chart.shared.flatMap((t) => t.lines)];
    const out = lines.filter((l) => unreachable(l, lines, WS_LINK)).map((l) => `${l.source}: ${l.text}`);
    expect(out).toEqual(
      expect.arrayContaining([
        'idle: link.connect [isInProcess]',
        'idle: always [autoConnect && isInProcess]',
        'attempt.connecting: transport.open [hasHandshake]',
        // heartbeat on: `starting` always goes to beating, never to unmonitored.
        'attempt.ready.starting: always',
      ]),
    );
    for (const text of out) expect(text).toMatch(/isInProcess|hasHandshake|: always$/);
    // Without a configuration nothing is hidden.
    expect(lines.filter((l) => unreachable(l, lines, {}))).toEqual([]);
  });
});

/** The edges of `ids`, as `source→target`, sorted. */
const edgeNames = (edges: readonly LaidOutEdge[], ids: Set<string>) =>
  edges
    .filter((e) => ids.has(e.id))
    .map((e) => `${e.source}→${e.target}`)
    .sort();

describe('the edges a step took', () => {
  it('lights the deepest handler and the eventless edges after it, not unrelated ones', async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine), layoutInThread);
    const name = (ids: Set<string>) => edgeNames(chart.edges, ids);
    expect(
      name(
        takenEdges(chart.edges, {
          event: 'transport.closed',
          from: 'attempt.ready.beating',
          to: 'reconnecting',
        }),
      ),
    ).toEqual(['attempt.ready→disconnected', 'disconnected→reconnecting']);
    expect(
      name(
        takenEdges(chart.edges, {
          event: 'heartbeat.pong',
          from: 'attempt.ready.awaitingPong',
          to: 'attempt.ready.beating',
        }),
      ),
    ).toEqual(['attempt.ready.awaitingPong→attempt.ready.beating']);
    expect(
      name(
        takenEdges(chart.edges, {
          event: 'transport.open',
          from: 'attempt.connecting',
          to: 'attempt.ready.settling',
        }),
      ),
    ).toEqual(['attempt.connecting→attempt.ready.settling']);
    // Through the handshake, ready is entered by default: its eventless steps light up too.
    expect(
      name(
        takenEdges(chart.edges, {
          event: 'handshake.ok',
          from: 'attempt.handshaking',
          to: 'attempt.ready.settling',
        }),
      ),
    ).toEqual([
      'attempt.handshaking→attempt.ready',
      'attempt.ready.resting→attempt.ready.settling',
      'attempt.ready.starting→attempt.ready.resting',
    ]);
    expect(takenEdges(chart.edges, { event: 'start', from: '', to: 'idle' }).size).toBe(0);
  });

  it("lights the sibling's edge for a grace state's copy, and the grace state's own edges as they are", async () => {
    const chart = await layoutChart('connection', describeChart(connectionMachine), layoutInThread);
    const name = (ids: Set<string>) => edgeNames(chart.edges, ids);
    const lateOpen = { event: 'transport.open', from: 'attempt.connectGrace', to: 'attempt.handshaking' };
    // Without the stand-in nothing is lit: the copy is not drawn from connectGrace.
    expect(takenEdges(chart.edges, lateOpen).size).toBe(0);
    const standIns = graceStandIns(chart.states, lateOpen);
    expect([...standIns]).toEqual([['attempt.connectGrace', 'attempt.connecting']]);
    expect(name(takenEdges(chart.edges, lateOpen, standIns))).toEqual([
      'attempt.connecting→attempt.handshaking',
    ]);
    // A late pong in graceTurn: awaitingPong's pong edge.
    const latePong = {
      event: 'heartbeat.pong',
      from: 'attempt.ready.graceTurn',
      to: 'attempt.ready.beating',
    };
    expect(name(takenEdges(chart.edges, latePong, graceStandIns(chart.states, latePong)))).toEqual([
      'attempt.ready.awaitingPong→attempt.ready.beating',
    ]);
    // The grace state's own timer needs no stand-in, and gets none.
    const ioTurn = { event: 'after ioTurn', from: 'attempt.connectGrace', to: 'reconnecting' };
    expect(graceStandIns(chart.states, ioTurn).size).toBe(0);
    expect(name(takenEdges(chart.edges, ioTurn))).toEqual([
      'attempt.connectGrace→disconnected',
      'disconnected→reconnecting',
    ]);
    // The sibling's own step lights only its own edge; a step from elsewhere has no stand-in.
    const open = { event: 'transport.open', from: 'attempt.connecting', to: 'attempt.handshaking' };
    expect(graceStandIns(chart.states, open).size).toBe(0);
    expect(graceStandIns(chart.states, null).size).toBe(0);
  });
});

describe('the page store', () => {
  const actor = (id: string, leaf: string): ActorInfo => ({
    id,
    machine: 'connection',
    chart: 'connection',
    group: 'links',
    status: 'active',
    state: 'ready',
    leaf,
    active: [],
    changes: 1,
    figures: {},
    startedAt: 0,
  });
  const hello = (rows: ActorInfo[]): ServerMessage => ({
    type: 'hello',
    now: Date.now(),
    server: { version: '0', allowEvents: false, showPayloads: false, commands: {}, lateAttach: false },
    charts: [],
    actors: rows,
    details: [],
    samples: [],
  });
  const batch = (seq: number, part: Partial<Extract<ServerMessage, { type: 'batch' }>>): ServerMessage => ({
    type: 'batch',
    seq,
    now: Date.now(),
    added: [],
    changed: [],
    removed: [],
    traffic: {},
    details: [],
    samples: [],
    held: 0,
    ...part,
  });

  it('counts the population of every state path, and keeps ids in natural order', () => {
    const store = new PageStore();
    store.apply(hello([actor('link:l1', 'attempt.ready.beating'), actor('link:l2', 'reconnecting')]));
    store.apply(batch(1, { added: [actor('link:l10', 'attempt.ready.beating'), actor('link:l3', 'idle')] }));
    expect(store.order).toEqual(['link:l1', 'link:l2', 'link:l3', 'link:l10']);
    const counts = store.population.get('connection');
    expect(counts?.get('attempt')).toBe(2);
    expect(counts?.get('attempt.ready.beating')).toBe(2);
    store.apply(
      batch(2, { changed: [['link:l1', 'reconnecting', 'reconnecting', 'active', 9]], removed: ['link:l3'] }),
    );
    expect(counts?.get('attempt')).toBe(1);
    expect(counts?.get('reconnecting')).toBe(2);
    expect(counts?.get('idle')).toBe(0);
    expect(store.actors.get('link:l1')?.changes).toBe(9);
    expect(store.order).toEqual(['link:l1', 'link:l2', 'link:l10']);
    expect(store.chartTotals.get('connection')).toBe(3);
  });

  it('keeps a followed timeline in a ring of TIMELINE_CAPACITY records', () => {
    const store = new PageStore();
    store.apply(hello([actor('link:a', 'idle')]));
    store.select('link:a');
    const records = Array.from({ length: TIMELINE_CAPACITY + 50 }, (_, i) => ({
      seq: i + 1,
      actor: 'link:a',
      at: i,
      event: 'e',
      from: i % 2 ? 'idle' : 'reconnecting',
      to: i % 2 ? 'reconnecting' : 'idle',
    }));
    store.apply(batch(1, { details: [{ actor: actor('link:a', 'idle'), records, reset: true }] }));
    const kept = store.followed.get('link:a')?.records.toArray() ?? [];
    expect(kept).toHaveLength(TIMELINE_CAPACITY);
    expect(kept[0]?.seq).toBe(51);
    // A recorded step moves the actor as a batch would (the seam for a trace).
    store.applyRecord({
      seq: 9_999,
      actor: 'link:a',
      at: 0,
      event: 'x',
      from: 'idle',
      to: 'attempt.ready.beating',
    });
    expect(store.actors.get('link:a')?.state).toBe('ready');
    expect(store.population.get('connection')?.get('attempt.ready')).toBe(1);
    expect(store.followed.get('link:a')?.records.last()?.seq).toBe(9_999);
  });

  it('ring buffers drop the oldest', () => {
    const ring = new Ring<number>(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
    expect(ring.last()).toBe(5);
  });
});
