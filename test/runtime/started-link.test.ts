/**
 * A supervised autoConnect link starts on a started chart (machines/started-chart.ts): past idle,
 * with no eventless microstep. What a user sees at its start (state, status, state events, the
 * trace's first records) is what the chart's start showed; the inspector draws one connection
 * chart, idle and its edges included, beside an autoConnect:false link (which runs the chart
 * itself and waits in idle); a trace recorded so replays identically.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { startedFrom } from '../../machines/started-chart.js';
import type { Link } from '../../src/index.js';
import { createInspector } from '../../src/inspector/index.js';
import { replayTrace } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';

const logicOf = (link: Link) => (link as unknown as { actor: { logic: unknown } }).actor.logic;

describe('a supervised link starting past idle', () => {
  const h = useHarness();

  it('on ws: same start for the user and the trace, one chart in the inspector, no microstep out of idle', async () => {
    const server = await h.wsServer();
    const inspector = createInspector();
    const initSteps: string[] = [];
    const inspect = (event: InspectionEvent) => {
      inspector.inspect.next?.(event);
      if (event.type === '@xstate.microstep' && event.event.type === 'xstate.init')
        initSteps.push(String((event.actorRef as AnyActorRef).id));
    };
    const supervisor = h.supervisor({ ...FAST, inspect });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(server.url, { id: 'a' });
    const waiting = supervisor.connect(server.url, { id: 'b', autoConnect: false });
    const other = supervisor.connect(server.url, { id: 'c' });
    const states: string[] = [];
    link.on('state', ({ from, to }) => states.push(`${from}→${to}`));
    // Booked, not started yet: idle, as before (its actor starts with the queue's next turn).
    expect(link.state).toBe('idle');
    await link.ready();
    expect(states).toEqual(['idle→connecting', 'connecting→ready']);
    expect(link.status()).toMatchObject({ state: 'ready', attempt: 0 });
    expect(waiting.state).toBe('idle');
    // The autoConnect link on a started chart, the waiting one on the chart itself.
    expect(startedFrom(logicOf(link))).toMatchObject({ source: 'connection.idle', branch: 2 });
    expect(startedFrom(logicOf(waiting))).toBeUndefined();
    // Made once (a copy of the chart's tree): every link starting in connecting shares it.
    await other.ready();
    expect(logicOf(other)).toBe(logicOf(link));
    expect(initSteps.filter((id) => id.startsWith('link:'))).toEqual([]);
    // One connection chart, drawn from idle with its three eventless edges.
    const charts = inspector.charts().filter(({ key }) => key.startsWith('connection'));
    expect(charts.map(({ key }) => key)).toEqual(['connection']);
    expect(charts[0]?.model.root.initial).toBe('idle');
    expect(
      charts[0]?.model.transitions.filter((t) => t.source === 'idle' && t.kind === 'always'),
    ).toHaveLength(3);
    const trace = recorder.stop();
    const first = trace.records.filter((r) => r.actor === 'link:a').slice(0, 2);
    expect(first[0]).toMatchObject({
      kind: 'actor',
      machine: 'connection',
      value: { attempt: 'connecting' },
    });
    expect(first[0]).not.toHaveProperty('existing');
    expect(first[1]).toMatchObject({ kind: 'event', from: { attempt: 'connecting' } });
    const b = trace.records.find((r) => r.actor === 'link:b');
    expect(b).toMatchObject({ kind: 'actor', value: 'idle' });
  });

  it('one started chart a leaf in the process: supervisors share it, a per-attempt URL starts in resolving', async () => {
    const server = await h.wsServer();
    const first = h.supervisor(FAST);
    const second = h.supervisor(FAST);
    const a = first.connect(server.url, { id: 'a' });
    const b = second.connect(server.url, { id: 'b', heartbeat: { mode: 'off' } });
    const resolved = second.connect(() => server.url, { id: 'r' });
    await Promise.all([a.ready(), b.ready(), resolved.ready()]);
    // Other options (another policy), another supervisor: the same chart, made once.
    expect(logicOf(b)).toBe(logicOf(a));
    expect(startedFrom(logicOf(a))).toMatchObject({ branch: 2 });
    expect(startedFrom(logicOf(resolved))).toMatchObject({ source: 'connection.idle', branch: 1 });
    expect(startedFrom(logicOf(resolved))?.chart).toBe(startedFrom(logicOf(a))?.chart);
  });

  it('a trace recorded with started links replays identically', async () => {
    const { clock, supervisor, finish } = startMemorySession({ seed: 7 });
    const link = supervisor.connect(FEED_URL, { id: 'feed' });
    supervisor.connect(FEED_URL, { id: 'later', autoConnect: false }).connect();
    await clock.advance(500);
    expect(link.state).toBe('ready');
    expect(startedFrom(logicOf(link))).toBeDefined();
    const trace = await finish();
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);
    expect(result.ok).toBe(true);
  });
});
