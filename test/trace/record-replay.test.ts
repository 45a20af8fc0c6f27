/**
 * Record a session on the memory network and the simulated clock, then replay it: identical.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { replayTrace, shrinkTrace } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace, type TraceJson } from '../../src/trace/trace-format.js';
import { startBouncyFeed } from '../helpers/bouncy-feed.js';
import { commandInstead, FEED_URL, startMemorySession } from './memory-session.js';

async function recordBouncySession() {
  const { clock, server, finish } = await startBouncyFeed();
  server.stopPongs();
  await clock.advance(6_000);
  server.resumePongs();
  await clock.advance(3_000);
  server.dropAll(1008, 'policy');
  await clock.advance(1_000);
  return finish();
}

describe('record → replay on the memory network', () => {
  it('records inputs by source, timers by delay name with their values, and transitions', async () => {
    const trace = await recordBouncySession();
    expect(trace.header).toMatchObject({
      format: 'linkvisor-trace',
      version: 1,
      seed: 41,
      clockStartMs: 1_000,
    });
    const events = trace.records.filter((r) => r.kind === 'event');
    const timers = events.filter((r) => r.source.kind === 'timer');
    expect(new Set(timers.map((r) => (r.source.kind === 'timer' ? r.source.delay : '')))).toEqual(
      new Set(['heartbeatInterval', 'heartbeatTimeout', 'ioTurn', 'reconnectDelay']),
    );
    expect(timers.every((r) => r.source.kind === 'timer' && typeof r.source.delayMs === 'number')).toBe(true);
    expect(events.some((r) => r.source.kind === 'child' && r.event.type === 'transport.closed')).toBe(true);
    expect(events.some((r) => r.source.kind === 'command' && r.event.type === 'peer.add')).toBe(true);
    const last = events.filter((r) => r.actor === 'link:feed').at(-1);
    expect(last?.to).toBe('failed');
    expect(trace.records.map((r) => r.step)).toEqual(trace.records.map((_, i) => i));
    // Transitions name states as dot paths from the chart's root, for the page to light.
    const opened = events.find((r) => r.actor === 'link:feed' && r.event.type === 'transport.open');
    expect(opened?.transitions).toContainEqual({ source: 'attempt.connecting', targets: ['attempt.ready'] });
    expect(parseTrace(formatTrace(trace))).toEqual(trace);
  });

  it('replays identically', async () => {
    const trace = await recordBouncySession();
    const result = await replayTrace(parseTrace(formatTrace(trace)));
    expect(result.message).toMatch(/^replay identical/);
    expect(result.ok).toBe(true);
  });

  it('reports the first divergence of a tampered trace', async () => {
    const trace = await recordBouncySession();
    const index = trace.records.findIndex((r) => r.kind === 'event' && r.to === 'reconnecting');
    const tampered = structuredClone(trace);
    const record = tampered.records[index];
    if (record?.kind === 'event') record.to = 'suspended';
    const result = await replayTrace(tampered);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.divergence).toMatchObject({ step: index, actor: 'link:feed' });
    expect(result.divergence.expected).toMatch(/→ suspended$/);
    expect(result.divergence.actual).toMatch(/→ reconnecting$/);
  });

  it.each(['xstate.stop', 'xstate.init', 'xstate.error.actor.transport'])(
    "a hostile trace commanding a link %s (XState's own events, never a recorded command) diverges there; the replay ends",
    async (type) => {
      const trace = structuredClone(await recordBouncySession());
      const index = commandInstead(trace, 'link:feed', 'timer', type);
      // A hang guard, not a speed claim: a link stopped behind the supervisor's back never
      // reported its end, and the replay waited for it for ever.
      let guard: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<'hung'>((resolve) => {
        guard = setTimeout(() => resolve('hung'), 60_000);
      });
      const result = await Promise.race([replayTrace(trace), hung]);
      clearTimeout(guard);
      expect(result).not.toBe('hung');
      if (result === 'hung' || result.ok) throw new Error('expected a divergence');
      expect(result.divergence).toMatchObject({ step: index, actor: 'link:feed' });
      expect(result.divergence.actual).toBe(`cannot replay the command ${type} to a link`);
    },
  );
});

describe('a start slice of links', () => {
  it('is one peer.add record with every input in call order, and a replay starts them as one again', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 7 });
    const ids = ['a', 'b', 'c', 'd'];
    for (const id of ids) supervisor.connect(FEED_URL, { id, heartbeat: false });
    await clock.advance(10);
    server.dropAll(1012, 'restart');
    await clock.advance(5_000);
    const trace = await finish();
    const adds = trace.records.filter((r) => r.kind === 'event' && r.event.type === 'peer.add');
    expect(adds).toHaveLength(1);
    const inputs = adds[0]?.kind === 'event' ? (adds[0].event.inputs as { linkId: string }[]) : [];
    expect(inputs.map((input) => input.linkId)).toEqual(ids.map((id) => `link:${id}`));
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);
    const replayed = result.replayed.records.filter((r) => r.kind === 'event' && r.event.type === 'peer.add');
    expect(replayed).toHaveLength(1);
  });

  it('a trace recorded before slices (peer.add with one `input`) still replays', async () => {
    const trace = structuredClone(await recordBouncySession());
    for (const record of trace.records) {
      if (record.kind !== 'event' || record.event.type !== 'peer.add') continue;
      const { inputs, ...rest } = record.event;
      record.event = { ...rest, input: (inputs as TraceJson[])[0] ?? null };
    }
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);
  });
});

describe('recording details', () => {
  it('streams each record to onRecord in trace order; toJSONL is the file text', async () => {
    const { clock, supervisor, finish } = startMemorySession({ seed: 2 });
    const streamed: unknown[] = [];
    const second = recordSession(supervisor, { onRecord: (record) => streamed.push(record) });
    supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
    await clock.advance(100);
    const jsonl = second.toJSONL();
    const trace = second.stop();
    expect(second.recording).toBe(false);
    expect(streamed).toEqual(trace.records);
    expect(jsonl).toBe(formatTrace(trace));
    expect(second.stop()).toEqual(trace);
    await finish();
  });

  it('keepRecords: false streams header and records (the same JSON Lines as a kept trace) and keeps none', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 5 });
    const lines: string[] = [];
    const streaming = recordSession(supervisor, {
      keepRecords: false,
      onHeader: (header) => lines.push(JSON.stringify(header)),
      onRecord: (record) => lines.push(JSON.stringify(record)),
    });
    const keeping = recordSession(supervisor);
    supervisor.connect(FEED_URL, { id: 'feed', heartbeat: { intervalMs: 100, timeoutMs: 50 } });
    await clock.advance(10_000);
    server.dropAll(1012);
    await clock.advance(1_000);
    expect(streaming.trace().records).toEqual([]);
    const kept = keeping.stop();
    const streamed = streaming.stop();
    expect(streamed).toEqual({ header: streaming.header, records: [] });
    expect(streaming.recordCount).toBe(kept.records.length);
    expect(kept.records.length).toBeGreaterThan(100);
    // The streamed lines are a trace: the kept one's records, under the streaming recorder's header.
    const text = `${lines.join('\n')}\n`;
    expect(parseTrace(text)).toEqual({ header: streaming.header, records: kept.records });
    await finish();
    expect((await replayTrace(parseTrace(text))).message).toMatch(/^replay identical/);
  });

  it("recordSession's options are checked: LV_ERR_* naming the option", async () => {
    const { supervisor, finish } = startMemorySession({ seed: 5 });
    const bad: [unknown, string, RegExp][] = [
      [{ keepRecord: false }, 'LV_ERR_UNKNOWN_OPTION', /keepRecord.*did you mean 'keepRecords'/],
      [{ keepRecords: 'no' }, 'LV_ERR_INVALID_OPTION', /keepRecords/],
      [{ onRecord: 'file.jsonl' }, 'LV_ERR_INVALID_OPTION', /onRecord/],
      [{ onHeader: 1 }, 'LV_ERR_INVALID_OPTION', /onHeader/],
      [null, 'LV_ERR_INVALID_OPTION', /options/],
    ];
    for (const [options, code, message] of bad) {
      expect(() => recordSession(supervisor, options as never)).toThrow(
        expect.objectContaining({ code, message: expect.stringMatching(message) }),
      );
    }
    await finish();
  });

  it('something not a supervisor is refused naming it, not a TypeError', () => {
    for (const supervisor of [null, {}, 'ws://127.0.0.1']) {
      expect(() => recordSession(supervisor as never)).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'supervisor' }),
      );
    }
  });

  it("a sink that throws is reported once on the supervisor's error event; the recording and the link go on", async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 7 });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    let calls = 0;
    const recorder = recordSession(supervisor, {
      onHeader: () => {
        throw new Error('header sink down');
      },
      onRecord: () => {
        calls++;
        throw new Error('disk full');
      },
    });
    const link = supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
    await clock.advance(100);
    server.dropAll(1012);
    await clock.advance(1_000);
    expect(link.state).toBe('ready');
    expect(calls).toBe(recorder.recordCount);
    expect(calls).toBeGreaterThan(5);
    expect(errors.map((e) => [e.code, e.option, (e.cause as Error).message])).toEqual([
      ['LV_ERR_LISTENER', 'onHeader', 'header sink down'],
      ['LV_ERR_LISTENER', 'onRecord', 'disk full'],
    ]);
    const trace = recorder.stop();
    await finish();
    expect((await replayTrace(trace)).message).toMatch(/^replay identical/);
  });

  it('replayTrace and shrinkTrace refuse a misspelt option (the hooks it holds would be left out)', async () => {
    const trace = await recordBouncySession();
    await expect(replayTrace(trace, { linkOption: {} } as never)).rejects.toMatchObject({
      code: 'LV_ERR_UNKNOWN_OPTION',
      option: 'linkOption',
    });
    await expect(shrinkTrace(trace, () => false, { maxRun: 3 } as never)).rejects.toMatchObject({
      code: 'LV_ERR_UNKNOWN_OPTION',
      option: 'maxRun',
    });
  });

  it('an event that reaches a link after it ended holds nothing up: later records still stream', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 2 });
    const streamed: { actor: string; type: string }[] = [];
    const recorder = recordSession(supervisor, {
      onRecord: (r) => streamed.push({ actor: r.actor, type: r.kind === 'event' ? r.event.type : r.kind }),
    });
    const link = supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
    // Two commands sent while the link processes a step: the first ends it, the second is dropped.
    link.actor.subscribe((snapshot) => {
      if (snapshot.value !== 'reconnecting') return;
      link.actor.send({ type: 'link.terminate' });
      link.actor.send({ type: 'link.reconnect' });
    });
    await clock.advance(100);
    server.dropAll(1012);
    await clock.advance(100);
    expect(streamed).toContainEqual({ actor: 'socket', type: 'link.closed' });
    expect(streamed.filter((r) => r.actor === 'link:feed').at(-1)).toEqual({
      actor: 'link:feed',
      type: 'link.terminate',
    });
    const trace = recorder.stop();
    expect(trace.records).toHaveLength(streamed.length);
    await finish();
    expect((await replayTrace(trace)).message).toMatch(/^replay identical/);
  });

  it('links that existed before record() are marked and left out of the replay', async () => {
    const { clock, supervisor, finish } = startMemorySession({ seed: 2 });
    supervisor.connect(FEED_URL, { id: 'early', heartbeat: false });
    await clock.advance(100);
    const late = recordSession(supervisor);
    supervisor.connect(FEED_URL, { id: 'late', heartbeat: false });
    await clock.advance(100);
    await supervisor.get('early')?.close();
    const trace = late.stop();
    await finish();
    expect(trace.records.find((r) => r.actor === 'link:early')).toMatchObject({
      kind: 'actor',
      existing: true,
    });
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical: \d+ steps of 2 actors/);
  });

  it("a link's application hook is named in the trace; the replay takes the test's own", async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 2 });
    // The application never retries a restart (1012), which the close table would retry.
    const shouldReconnect = (reason: { code?: number }) => reason.code !== 1012;
    supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false, shouldReconnect });
    await clock.advance(100);
    server.dropAll(1012);
    await clock.advance(100);
    const trace = await finish();
    expect(trace.records.find((r) => r.actor === 'link:feed')).toMatchObject({
      link: { hooks: ['shouldReconnect'] },
    });
    expect((await replayTrace(trace)).ok).toBe(false);
    expect((await replayTrace(trace, { linkOptions: { shouldReconnect } })).ok).toBe(true);
  });
});

describe('groups', () => {
  it('a group of endpoints replays identically (its links by their ids, first-up / last-down counted)', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 8 });
    supervisor.connectGroup([FEED_URL, FEED_URL], { id: 'pool', heartbeat: false });
    await clock.advance(100);
    server.dropAll(1012);
    await clock.advance(5_000);
    const trace = await finish();
    expect(new Set(trace.records.map((r) => r.actor))).toEqual(
      new Set(['socket', 'link:pool/0', 'link:pool/1']),
    );
    expect((await replayTrace(trace)).message).toMatch(/^replay identical: \d+ steps of 3 actors/);
  });
});

describe('group strategies', () => {
  it('a one-for-all group replays identically: the restart of the other member comes from the socket', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 9 });
    const group = supervisor.connectGroup([FEED_URL, FEED_URL], {
      id: 'pair',
      heartbeat: false,
      strategy: 'one-for-all',
    });
    const restarts: string[] = [];
    group.on('restart', ({ cause }) => restarts.push(cause));
    await clock.advance(100);
    expect(group.up).toBe(true);
    server.peers[0]?.terminate();
    await clock.advance(5_000);
    expect(restarts).toHaveLength(1);
    const trace = await finish();
    expect(trace.records.some((r) => r.kind === 'event' && r.event.type === 'group.add')).toBe(true);
    expect(trace.records.filter((r) => r.kind === 'event' && r.event.type === 'link.restart')).toHaveLength(
      1,
    );
    expect((await replayTrace(trace)).message).toMatch(/^replay identical: \d+ steps of 3 actors/);
  });
});

describe('group strategies: a one-for-all group dropped all at once', () => {
  it('replays identically: both members closed in one call, before the socket restarts either', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 9 });
    supervisor.connectGroup([FEED_URL, FEED_URL], { id: 'pair', heartbeat: false, strategy: 'one-for-all' });
    await clock.advance(100);
    // The memory server closes both peers in one call: both closes are recorded before the
    // socket's restart of either (its after-step effects run on a microtask).
    server.dropAll(1012);
    await clock.advance(5_000);
    const trace = await finish();
    const events = trace.records.filter((r) => r.kind === 'event');
    const kinds = events.map((r) => `${r.actor} ${r.event.type}`);
    const closes = kinds.flatMap((k, i) => (k.endsWith('transport.closed') ? [i] : []));
    const restarts = kinds.flatMap((k, i) => (k.endsWith('link.restart') ? [i] : []));
    expect(closes).toHaveLength(2);
    expect(restarts).toHaveLength(2);
    expect(Math.max(...closes)).toBeLessThan(Math.min(...restarts));
    expect((await replayTrace(trace)).message).toMatch(/^replay identical: \d+ steps of 3 actors/);
  });
});

describe('network signals', () => {
  it("offline, online and wake (the platform's, or a heartbeat that saw time jump) replay identically", async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 5 });
    supervisor.connect(FEED_URL, {
      id: 'feed',
      heartbeat: { intervalMs: 1_000, timeoutMs: 300 },
      backoff: { initialDelayMs: 500, maxDelayMs: 5_000 },
    });
    await clock.advance(100);
    supervisor.signal('offline');
    server.dropAll(1006);
    await clock.advance(3_000);
    supervisor.signal('online');
    await clock.advance(50);
    supervisor.signal('wake');
    await clock.advance(3_000);
    server.dropAll(1006);
    supervisor.signal('wake');
    await clock.advance(3_000);
    const trace = await finish();
    const signals = trace.records.filter((r) => r.kind === 'event' && r.actor === 'socket');
    expect(signals.map((r) => (r.kind === 'event' ? r.event.type : ''))).toEqual(
      expect.arrayContaining(['network.offline', 'network.online', 'network.wake']),
    );
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);
  });
});
