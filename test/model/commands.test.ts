/**
 * Random command sequences against the real runtime (fast-check `commands` + `asyncModelRun`):
 * connect, send, server drop / fatal close / refuse / RST mid-handshake / stall / stop answering
 * pings, reading paused and resumed by the application, reconnect switch, close, advance the clock.
 * After every command:
 *   - at most one live transport per link (an attempt exactly while in `attempt`, one open server peer);
 *   - every link is in a state the chart declares;
 *   - what the servers received has no duplicate and is in send order, per link;
 *   - no event reaches a listener after the link's `closed`/`failed`.
 * At the end (supervisor closed): every message that was queued is received, lost on a dying or
 * blackholed socket after being written, or reported `dropped`; no timer and no open peer is left.
 *
 * The seed is printed; replay a failure with LV_SEED=<seed> (and fast-check's printed path).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectionMachine, linkStateName } from '../../machines/connection.machine.js';
import type { OverflowPolicy } from '../../machines/policy/queue.js';
import { createSupervisor, type Link, type LinkvisorError, type Supervisor } from '../../src/index.js';
import type { LinkWire } from '../../src/runtime/link-wire.js';
import { chartStates } from '../../src/testing/chart-coverage.js';
import { createMemoryNetwork, type MemoryServer, settle, TestClock } from '../../src/testing/index.js';

const MAX_LINKS = 3;
const DECLARED = new Set(chartStates(connectionMachine));

interface LinkRecord {
  link: Link;
  server: MemoryServer;
  next: number;
  /** Messages whose send() said 'queued' (they must arrive, or be lost after writing, or be dropped). */
  queued: string[];
  dropped: Set<string>;
  endedAt: number | null;
  violations: string[];
  events: number;
}

class World {
  readonly clock = new TestClock();
  readonly network = createMemoryNetwork({ clock: this.clock, inProcess: false });
  readonly supervisor: Supervisor;
  readonly links: LinkRecord[] = [];
  readonly servers: MemoryServer[] = [];

  /** `jitterSeed`: the links' jitter seed, drawn by fast-check so that LV_SEED replays a run. */
  constructor(
    readonly overflow: OverflowPolicy,
    jitterSeed = 1,
  ) {
    this.supervisor = createSupervisor({
      transport: this.network.transport,
      clock: this.clock,
      seed: jitterSeed,
      backoff: { initialDelayMs: 100, maxDelayMs: 2_000, jitter: 'full', stableAfterMs: 3_000 },
      heartbeat: { intervalMs: 1_000, timeoutMs: 500, maxMissed: 1 },
      connectTimeoutMs: 2_000,
      handshakeTimeoutMs: 1_000,
      closeTimeoutMs: 1_000,
      queue: { maxMessages: 5, overflow },
      handshake: async ({ send, next }) => {
        send('hello');
        if (String(await next()) !== 'ok') throw new Error('bad ack');
      },
    });
    for (let i = 0; i < MAX_LINKS; i++) {
      const server = this.network.listen(`mem://svc/${i}`);
      server.onConnection((peer) =>
        peer.onMessage((data) => {
          if (data === 'hello') peer.send('ok');
        }),
      );
      this.servers.push(server);
    }
  }

  connect(): void {
    const index = this.links.length;
    const server = this.servers[index] as MemoryServer;
    const link = this.supervisor.connect(`mem://svc/${index}`, { id: `r${index}` });
    const record: LinkRecord = {
      link,
      server,
      next: 0,
      queued: [],
      dropped: new Set(),
      endedAt: null,
      violations: [],
      events: 0,
    };
    const note = (name: string) => {
      record.events++;
      if (record.endedAt !== null) record.violations.push(`${name} after the link ended`);
    };
    for (const name of ['state', 'ready', 'message', 'reconnecting', 'lost', 'dropped', 'error'] as const) {
      link.on(name, () => note(name));
    }
    link.on('dropped', ({ data }) => record.dropped.add(String(data)));
    for (const name of ['closed', 'failed'] as const) {
      link.on(name, () => {
        note(name);
        record.endedAt = record.events;
      });
    }
    this.links.push(record);
  }

  send(record: LinkRecord, count: number): void {
    for (let i = 0; i < count; i++) {
      const message = `${record.link.id}#${record.next++}`;
      try {
        const result = record.link.send(message);
        if (result === 'queued') record.queued.push(message);
      } catch (error) {
        const code = (error as LinkvisorError).code;
        if (!['LV_ERR_QUEUE_FULL', 'LV_ERR_LINK_CLOSED', 'LV_ERR_LINK_FAILED'].includes(code)) throw error;
      }
    }
  }

  /** Per-command invariants. */
  check(): void {
    for (const record of this.links) {
      const snapshot = record.link.actor.getSnapshot();
      const name = linkStateName(snapshot.value);
      for (const node of (snapshot as unknown as { _nodes: { id: string }[] })._nodes) {
        expect(DECLARED.has(node.id), `${record.link.id} in undeclared state ${node.id}`).toBe(true);
      }
      // One transport (attempt) exactly while the chart is in `attempt`, none otherwise.
      const attempt = (record.link as unknown as { wire: LinkWire }).wire.attempt;
      const inAttempt = typeof snapshot.value === 'object';
      expect(attempt !== null, `${record.link.id} has ${attempt ? 'a' : 'no'} transport in ${name}`).toBe(
        inAttempt,
      );
      expect(record.server.peers.length, `${record.link.id} has several open sockets`).toBeLessThanOrEqual(1);
      const received = this.received(record);
      expect(new Set(received).size, `${record.link.id} received a message twice`).toBe(received.length);
      const order = received.map((m) => Number(m.split('#')[1]));
      expect(order, `${record.link.id} received out of order`).toEqual([...order].sort((a, b) => a - b));
      expect(record.violations).toEqual([]);
    }
  }

  received(record: LinkRecord): string[] {
    // Peers come and go; the server keeps what each received, in arrival order, via this list.
    return record.server.peers.length === 0 && !this.arrivals.has(record.server)
      ? []
      : (this.arrivals.get(record.server) ?? []);
  }

  readonly arrivals = new Map<MemoryServer, string[]>();

  watchArrivals(): void {
    for (const server of this.servers) {
      const list: string[] = [];
      this.arrivals.set(server, list);
      server.onConnection((peer) =>
        peer.onMessage((data) => {
          if (data !== 'hello') list.push(String(data));
        }),
      );
    }
  }

  /** Closes everything, driving the clock, then checks what must hold at the very end. */
  async finish(): Promise<void> {
    let closed = false;
    const closing = this.supervisor.close().then(() => {
      closed = true;
    });
    for (let i = 0; i < 200 && !closed; i++) await this.clock.advance(50);
    await closing;
    await settle();
    expect(this.clock.pending, `timers left: ${this.clock.pendingDelays().join(',')}`).toBe(0);
    for (const server of this.servers) expect(server.peers.length).toBe(0);
    for (const record of this.links) {
      const received = new Set(this.arrivals.get(record.server) ?? []);
      const lost = new Set(record.server.lost.map(String));
      for (const message of record.queued) {
        const fate = received.has(message) || lost.has(message) || record.dropped.has(message);
        expect(fate, `${message} was queued and then vanished without a 'dropped' event`).toBe(true);
      }
      expect(record.violations).toEqual([]);
    }
  }
}

type Model = { links: number };
type Cmd = fc.AsyncCommand<Model, World>;

const pick = (world: World, k: number) => world.links[k % world.links.length] as LinkRecord;

class Connect implements Cmd {
  check = (m: Readonly<Model>) => m.links < MAX_LINKS;
  async run(m: Model, w: World) {
    m.links++;
    w.connect();
    await settle();
    w.check();
  }
  toString = () => 'connect';
}

class OnLink implements Cmd {
  constructor(
    readonly name: string,
    readonly k: number,
    readonly act: (w: World, r: LinkRecord) => void | Promise<void>,
  ) {}
  check = (m: Readonly<Model>) => m.links > 0;
  async run(_m: Model, w: World) {
    await this.act(w, pick(w, this.k));
    await settle();
    w.check();
  }
  toString = () => `${this.name}(${this.k})`;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    await w.clock.advance(this.ms);
    w.check();
  }
  toString = () => `advance(${this.ms})`;
}

class Switch implements Cmd {
  constructor(readonly enabled: boolean) {}
  check = () => true;
  async run(_m: Model, w: World) {
    w.supervisor.setReconnect(this.enabled);
    await settle();
    w.check();
  }
  toString = () => `setReconnect(${this.enabled})`;
}

const k = fc.nat(MAX_LINKS - 1);
const send = fc
  .tuple(k, fc.integer({ min: 1, max: 4 }))
  .map(([i, n]) => new OnLink(`send${n}`, i, (w, r) => w.send(r, n)));
const commands = fc.commands(
  [
    // Sending and time are what most sequences are made of (listed more than once to weigh more).
    send,
    send,
    send,
    fc.constantFrom(1, 60, 150, 600, 1_600, 5_000).map((ms) => new Advance(ms)),
    fc.constantFrom(1, 60, 150, 600, 1_600, 5_000).map((ms) => new Advance(ms)),
    fc.constant(new Connect()),
    k.map((i) => new OnLink('drop', i, (_w, r) => r.server.dropAll(1006))),
    k.map((i) => new OnLink('restart', i, (_w, r) => r.server.dropAll(1012, 'restart'))),
    k.map((i) => new OnLink('fatal1008', i, (_w, r) => r.server.dropAll(1008, 'policy'))),
    k.map((i) => new OnLink('refuse', i, (_w, r) => r.server.refuse({ error: 'ECONNREFUSED' }))),
    k.map((i) => new OnLink('rstMidHandshake', i, (_w, r) => r.server.refuse({ error: 'ECONNRESET' }))),
    k.map((i) => new OnLink('http503', i, (_w, r) => r.server.refuse({ status: 503, retryAfterSeconds: 1 }))),
    k.map((i) => new OnLink('accept', i, (_w, r) => r.server.accept())),
    k.map((i) => new OnLink('stall', i, (_w, r) => r.server.stall())),
    k.map((i) => new OnLink('unstall', i, (_w, r) => r.server.unstall())),
    k.map((i) => new OnLink('stopPongs', i, (_w, r) => r.server.stopPongs())),
    k.map((i) => new OnLink('resumePongs', i, (_w, r) => r.server.resumePongs())),
    // The application holds reading paused (backpressure), then reads again.
    k.map((i) => new OnLink('pause', i, (_w, r) => void r.link.pause())),
    k.map((i) => new OnLink('resume', i, (_w, r) => void r.link.resume())),
    k.map((i) => new OnLink('close', i, (_w, r) => void r.link.close())),
    fc.constantFrom(1, 60, 150, 600, 1_600, 5_000).map((ms) => new Advance(ms)),
    fc.boolean().map((on) => new Switch(on)),
  ],
  { maxCommands: 40, size: 'max' },
);

/** What the random runs went through, so a run that exercises nothing cannot pass unnoticed. */
const totals = { queued: 0, queuedReceived: 0, received: 0, reconnects: 0, dropped: 0, failed: 0 };

function tally(world: World): void {
  for (const record of world.links) {
    const received = new Set(world.arrivals.get(record.server) ?? []);
    totals.queued += record.queued.length;
    totals.queuedReceived += record.queued.filter((m) => received.has(m)).length;
    totals.received += received.size;
    totals.reconnects += Math.max(0, record.server.accepted - 1);
    totals.dropped += record.dropped.size;
    if (record.link.actor.getSnapshot().value === 'failed') totals.failed++;
  }
}

describe('random command sequences against the runtime', () => {
  it('the invariant checks catch a duplicate and a reordering (negative control)', async () => {
    const world = new World('reject');
    world.watchArrivals();
    world.connect();
    await world.clock.advance(10);
    const record = world.links[0] as LinkRecord;
    world.send(record, 3);
    await settle();
    expect(() => world.check()).not.toThrow();
    const arrivals = world.arrivals.get(record.server) as string[];
    arrivals.push(arrivals[0] as string);
    expect(() => world.check()).toThrow(/twice/);
    arrivals.splice(0, arrivals.length, 'link:r0#1', 'link:r0#0');
    expect(() => world.check()).toThrow(/out of order/);
    arrivals.splice(0, arrivals.length);
    record.queued.push('link:r0#99');
    await expect(world.finish()).rejects.toThrow(/vanished/);
  });

  it('keep every invariant (200 runs of up to 40 commands)', async () => {
    const seed = Number(process.env.LV_SEED ?? Date.now() % 2 ** 31);
    console.log(
      `commands.test seed: ${seed} (replay: LV_SEED=${seed} npx vitest run test/model/commands.test.ts)`,
    );
    await fc.assert(
      fc.asyncProperty(
        commands,
        fc.constantFrom<OverflowPolicy>('reject', 'drop-oldest', 'drop-newest'),
        fc.integer(),
        async (cmds, overflow, jitterSeed) => {
          const world = new World(overflow, jitterSeed);
          world.watchArrivals();
          world.connect();
          await fc.asyncModelRun(() => ({ model: { links: 1 }, real: world }), cmds);
          await world.finish();
          tally(world);
        },
      ),
      { seed, numRuns: 200 },
    );
    console.log('commands.test totals:', totals);
    // The runs must have exercised the paths the invariants are about.
    expect(totals.queued).toBeGreaterThan(0);
    expect(totals.queuedReceived).toBeGreaterThan(0);
    expect(totals.reconnects).toBeGreaterThan(0);
    expect(totals.failed).toBeGreaterThan(0);
  }, 120_000);
});
