/**
 * What the server sends each page: coalesced batches (an actor that changed five times is sent
 * once, with its count of changes; every change is counted per pair of states), at most one per
 * update interval, in natural order of ids; and per-page backpressure: a page that stops reading
 * costs bounded memory — no batch beyond the unacknowledged window, only the latest of each actor
 * and counts — and catches up with the latest state when it reads again.
 */
import { describe, expect, it } from 'vitest';
import {
  type ActorInfo,
  createInspector,
  naturalCompare,
  type ServerMessage,
  startInspector,
  type TransitionRecord,
} from '../../src/inspector/index.js';
import { PageFeed } from '../../src/inspector/page-feed.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';

const h = useHarness();

describe('natural order of actor ids', () => {
  it('puts l2 before l10 and keeps a total order', () => {
    const ids = [
      'link:l10',
      'link:l2',
      'link:l1',
      'link:db/10',
      'link:db/2',
      'socket',
      'link:L3',
      'link:l02',
    ];
    expect([...ids].sort(naturalCompare)).toEqual([
      'link:db/2',
      'link:db/10',
      'link:l1',
      'link:l02',
      'link:l2',
      'link:L3',
      'link:l10',
      'socket',
    ]);
    expect(naturalCompare('a', 'a')).toBe(0);
    expect(Math.sign(naturalCompare('l02', 'l2'))).toBe(-Math.sign(naturalCompare('l2', 'l02')));
  });
});

function info(id: string, leaf: string, changes: number): ActorInfo {
  return {
    id,
    machine: 'connection',
    chart: 'connection',
    group: 'links',
    status: 'active',
    state: leaf.split('.').pop() ?? leaf,
    leaf,
    active: [leaf],
    changes,
    figures: {},
    startedAt: 0,
  };
}

describe('PageFeed (one page)', () => {
  const setup = (options: { buffered?: number } = {}) => {
    const actors = new Map<string, ActorInfo>();
    const sent: ServerMessage[] = [];
    const feed = new PageFeed({
      inspector: { get: (id) => actors.get(id), recordsOf: () => [] },
      send: (m) => sent.push(m),
      bufferedBytes: () => options.buffered ?? 0,
      visible: (r) => r,
      maxUnacked: 2,
      maxPendingRecords: 3,
    });
    let seq = 0;
    const move = (id: string, from: string, to: string) => {
      const before = actors.get(id);
      const actor = info(id, to, (before?.changes ?? 0) + 1);
      actors.set(id, actor);
      const record: TransitionRecord = { seq: ++seq, actor: id, at: 0, event: 'e', from, to };
      feed.update({ type: 'record', record });
      feed.update({ type: 'actor', actor });
    };
    return { actors, sent, feed, move };
  };

  it('sends an actor once per batch, with its latest state, and counts every change in between', () => {
    const { actors, sent, feed, move } = setup();
    actors.set('link:a', info('link:a', 'attempt.ready', 1));
    feed.greet([{ ...info('link:a', 'attempt.ready', 1) }], []);
    for (let i = 0; i < 5; i++) {
      move('link:a', 'attempt.ready', 'reconnecting');
      move('link:a', 'reconnecting', 'attempt.ready');
    }
    expect(feed.flush(1)).toBe('sent');
    expect(sent).toHaveLength(1);
    const batch = sent[0] as Extract<ServerMessage, { type: 'batch' }>;
    expect(batch.changed).toEqual([['link:a', 'attempt.ready', 'ready', 'active', 11]]);
    expect(batch.traffic).toEqual({
      connection: { 'attempt.ready→reconnecting': 5, 'reconnecting→attempt.ready': 5 },
    });
    expect(feed.flush(2)).toBe('idle');
  });

  it('holds batches beyond the unacknowledged window or a full socket, keeping only latest and counts', () => {
    const { actors, sent, feed, move } = setup();
    actors.set('link:a', info('link:a', 'attempt.ready', 1));
    feed.greet([info('link:a', 'attempt.ready', 1)], []);
    feed.select('link:a');
    for (let round = 0; round < 50; round++) {
      move('link:a', 'attempt.ready', 'reconnecting');
      move('link:a', 'reconnecting', 'attempt.ready');
      feed.flush(round);
    }
    // Two batches (the window), then held: one pending actor, bounded records, counted traffic.
    expect(sent).toHaveLength(2);
    const stats = feed.stats();
    expect(stats.held).toBe(48);
    expect(stats.pendingActors).toBe(1);
    expect(stats.pendingRecords).toBeLessThanOrEqual(3);
    expect(stats.trafficPairs).toBe(2);
    feed.ack(2);
    expect(feed.flush(99)).toBe('sent');
    const batch = sent[2] as Extract<ServerMessage, { type: 'batch' }>;
    expect(batch.held).toBe(48);
    expect(batch.changed[0]?.[4]).toBe(101);
    expect(batch.traffic.connection?.['attempt.ready→reconnecting']).toBe(48);
    // Too many records for the followed actor: its whole kept timeline is sent again instead.
    expect(batch.details[0]?.reset).toBe(true);

    const full = setup({ buffered: 10 * 1024 * 1024 });
    full.actors.set('link:a', info('link:a', 'idle', 0));
    full.feed.greet([info('link:a', 'idle', 0)], []);
    full.move('link:a', 'idle', 'attempt.ready');
    expect(full.feed.flush(0)).toBe('held');
    expect(full.sent).toHaveLength(0);
  });

  it('follows the supervisor from the hello on: its new records come in the next batch', () => {
    const { actors, sent, feed } = setup();
    const socket = {
      ...info('socket', 'open', 1),
      machine: 'socket',
      chart: 'socket',
      group: 'supervisor' as const,
    };
    actors.set('socket', socket);
    feed.greet([socket], ['socket']);
    const record: TransitionRecord = {
      seq: 7,
      actor: 'socket',
      at: 0,
      event: 'socket.down',
      from: 'open',
      to: 'open',
    };
    feed.update({ type: 'record', record });
    expect(feed.flush(0)).toBe('sent');
    const batch = sent[0] as Extract<ServerMessage, { type: 'batch' }>;
    expect(batch.details).toEqual([{ actor: socket, records: [record] }]);
  });

  it('adds, then removes, an actor the page never saw: nothing is sent about it', () => {
    const { actors, sent, feed } = setup();
    feed.greet([], []);
    const actor = info('link:gone', 'idle', 0);
    actors.set(actor.id, actor);
    feed.update({ type: 'actor', actor });
    feed.update({ type: 'removed', actor: actor.id });
    actors.delete(actor.id);
    expect(feed.flush(0)).toBe('idle');
    expect(sent).toHaveLength(0);
  });
});

type Batch = Extract<ServerMessage, { type: 'batch' }>;

describe('the inspector server under load', () => {
  const LINKS = 2_000;

  async function bouncing() {
    const network = createMemoryNetwork();
    const server = network.listen('mem://feed');
    const inspector = createInspector();
    const supervisor = h.supervisor({
      transport: network.transport,
      inspect: inspector.inspect,
      heartbeat: false,
      backoff: { initialDelayMs: 5, maxDelayMs: 20, jitter: 'full' },
    });
    const links = Array.from({ length: LINKS }, (_, i) => supervisor.connect('mem://feed', { id: `l${i}` }));
    await waitFor(() => links.every((link) => link.state === 'ready'), {
      message: 'all ready',
      timeoutMs: 60_000,
    });
    const inspectorServer = await startInspector(supervisor, { inspector });
    h.defer(() => inspectorServer.close());
    const bounce = async (times: number) => {
      for (let i = 0; i < times; i++) {
        const before = links.map((link) => link.status().readyCount);
        server.dropAll(1006);
        await waitFor(() => links.every((link, n) => link.status().readyCount > (before[n] ?? 0)), {
          message: 'all ready again',
          timeoutMs: 60_000,
        });
      }
    };
    return { inspector, inspectorServer, bounce };
  }

  it('coalesces: at most one batch per interval, every change counted, rows in natural order', async () => {
    const { inspector, inspectorServer, bounce } = await bouncing();
    const page = await connectPage(inspectorServer.url);
    // A second page that acknowledges nothing: after the window of 4 batches its changes can only
    // be held, so each actor's changes of the later bounces reach it coalesced, whatever the timing.
    const silent = await connectPage(inspectorServer.url, {}, { ack: false });
    h.defer(() => page.close());
    h.defer(() => silent.close());
    const hello = await page.next('hello');
    await silent.next('hello');
    const ids = hello.actors.map((a) => a.id);
    expect(ids.indexOf('link:l2')).toBeLessThan(ids.indexOf('link:l10'));
    expect(ids.indexOf('link:l10')).toBeLessThan(ids.indexOf('link:l100'));
    const changesBefore = new Map(inspector.rows().map((r) => [r.id, r.changes]));
    await bounce(3);
    const final = new Map(inspector.rows().map((r) => [r.id, r.changes]));
    const expected = [...final].reduce((sum, [id, n]) => sum + n - (changesBefore.get(id) ?? 0), 0);
    // 2,000 links × 3 bounces × (down, up again).
    expect(expected).toBeGreaterThanOrEqual(LINKS * 3 * 2);
    const batchesOf = (p: typeof page) => p.messages.filter((m): m is Batch => m.type === 'batch');
    const counted = (p: typeof page) =>
      batchesOf(p)
        .flatMap((m) => Object.values(m.traffic.connection ?? {}))
        .reduce((a, b) => a + b, 0);
    // Hang guards, not speed claims: on a busy 2-core machine 2,000 links' batches take their time.
    await waitFor(() => counted(page) === expected, {
      message: `traffic ${counted(page)} of ${expected} changes`,
      timeoutMs: 30_000,
    });
    const silentSeq = () => batchesOf(silent).at(-1)?.seq ?? 0;
    silent.send({ type: 'ack', seq: silentSeq() });
    await waitFor(
      () => {
        if (counted(silent) === expected) return true;
        silent.send({ type: 'ack', seq: silentSeq() });
        return false;
      },
      { message: `silent page: traffic ${counted(silent)} of ${expected} changes`, timeoutMs: 30_000 },
    );
    for (const p of [page, silent]) {
      const batches = batchesOf(p);
      // At most one batch per interval, by the server's own clock (the `now` of each batch).
      const nows = batches.map((m) => m.now);
      expect(nows.slice(1).filter((now, i) => now - (nows[i] as number) < 100)).toEqual([]);
      // Each actor at most once a batch, its count of changes rising, the last its count now.
      const last = new Map<string, number>();
      for (const batch of batches) {
        const rows = batch.changed.map(([id]) => id);
        expect(new Set(rows).size).toBe(rows.length);
        for (const [id, , , , changes] of batch.changed) {
          expect(changes).toBeGreaterThan(last.get(id) ?? changesBefore.get(id) ?? 0);
          last.set(id, changes);
        }
      }
      const links = [...final].filter(([id]) => id.startsWith('link:'));
      expect(links.filter(([id, n]) => last.get(id) !== n)).toEqual([]);
    }
    // The silent page: at most 4 batches, then one when it acknowledged: ≤ 5 rows an actor for the
    // 6 changes each link made.
    const silentRows = batchesOf(silent).reduce((n, m) => n + m.changed.length, 0);
    expect(silentRows).toBeLessThanOrEqual(5 * final.size);
    expect(silentRows).toBeLessThan(expected);
  }, 240_000);

  it('a page that stops reading costs bounded memory, then catches up with the latest', async () => {
    const { inspector, inspectorServer, bounce } = await bouncing();
    const reader = await connectPage(inspectorServer.url);
    const stalled = await connectPage(inspectorServer.url);
    h.defer(() => reader.close());
    h.defer(() => stalled.close());
    await reader.next('hello');
    await stalled.next('hello');
    stalled.select('link:l7');
    stalled.ws.pause(); // reads nothing more: no acks either
    await bounce(6);
    const readerBatches = () => reader.messages.filter((m) => m.type === 'batch').length;
    await waitFor(() => readerBatches() > 6, {
      message: 'the reading page keeps getting batches',
      timeoutMs: 30_000,
    });
    const stats = inspectorServer.pages();
    expect(stats).toHaveLength(2);
    const held = stats.find((s) => s.held > 0);
    expect(held, JSON.stringify(stats)).toBeDefined();
    if (!held) return;
    // Nothing beyond the window of 4 unacknowledged batches was written to the stalled page.
    expect(held.sent - held.acked).toBeLessThanOrEqual(4);
    expect(held.pendingActors).toBeLessThanOrEqual(LINKS + 1);
    expect(held.pendingRecords).toBeLessThanOrEqual(200);
    expect(held.trafficPairs).toBeLessThanOrEqual(20);
    expect(held.pendingSamples).toBeLessThanOrEqual(300);

    stalled.ws.resume();
    // The latest state and count of changes of every actor (the leaf alone is back where it was).
    const latest = new Map(inspector.rows().map((r) => [r.id, `${r.leaf} ${r.changes}`]));
    const seen = new Map<string, string>();
    await waitFor(
      () => {
        for (const m of stalled.messages) {
          if (m.type === 'hello') for (const a of m.actors) seen.set(a.id, `${a.leaf} ${a.changes}`);
          if (m.type === 'batch') {
            for (const a of m.added) seen.set(a.id, `${a.leaf} ${a.changes}`);
            for (const [id, leaf, , , changes] of m.changed) seen.set(id, `${leaf} ${changes}`);
          }
        }
        return [...latest].every(([id, now]) => seen.get(id) === now);
      },
      { message: 'the stalled page has the latest state of every actor', timeoutMs: 20_000 },
    );
    const caughtUp = stalled.messages.filter((m) => m.type === 'batch');
    expect(caughtUp.some((m) => m.type === 'batch' && m.held > 0)).toBe(true);
  }, 240_000);
});
