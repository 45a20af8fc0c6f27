/**
 * The socket chart, pure: `initialTransition` / `transition` and the actions they return. No actor
 * runs and no timer exists.
 *
 * The effect actions (`spawnPeers`, `closePeer`, `tellPeers`) are `enqueueActions`
 * that do nothing until src/ provides them; an empty `enqueueActions` resolves to no action at
 * all. So, as the supervisor does, the chart is provided here with plain named actions, which
 * `transition` returns as `{ type, params }` records: the test reads WHICH effect the chart asks
 * for and with what, without running it.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import {
  GROUP_STRATEGIES,
  type GroupStrategy,
  readyToBeUp,
  restartTargets,
} from '../../machines/policy/group.js';
import { LINGER_DEFAULT_MS } from '../../machines/policy/timeouts.js';
import {
  GROUP_MEMBER_REPORTS,
  groupOf,
  memberIndex,
  SINGLE_LINK_REPORTS,
  type SocketEmitted,
  type SocketEvent,
  type SocketInput,
  socketMachine,
} from '../../machines/socket.machine.js';

const noop = () => {};
const machine = socketMachine.provide({
  actions: { spawnPeers: noop, closePeer: noop, tellPeers: noop, tellLinks: noop },
});

type Snapshot = SnapshotFrom<typeof machine>;

interface ActionLike {
  type: string;
  params?: unknown;
}

const EFFECTS = new Set(['spawnPeers', 'closePeer', 'tellPeers', 'tellLinks']);

/** Walks the chart purely, step by step, keeping the actions of the last step. */
class Walk {
  snapshot: Snapshot;
  actions: ActionLike[];

  constructor(input: SocketInput = {}) {
    const [snapshot, actions] = initialTransition(machine, input);
    this.snapshot = snapshot;
    this.actions = actions as ActionLike[];
  }

  send(event: SocketEvent): this {
    const [snapshot, actions] = transition(machine, this.snapshot, event);
    this.snapshot = snapshot;
    this.actions = actions as ActionLike[];
    return this;
  }

  add(...linkIds: string[]): this {
    return this.send({ type: 'peer.add', inputs: linkIds.map(peerInput) });
  }

  ready(linkId: string): this {
    return this.send({ type: 'link.ready', linkId, readyCount: 1 });
  }

  unready(linkId: string): this {
    return this.send({ type: 'link.unready', linkId });
  }

  closed(linkId: string): this {
    return this.send({ type: 'link.closed', linkId, reason: null });
  }

  get context() {
    return this.snapshot.context;
  }

  /** Events emitted by the last step. */
  emitted(): SocketEmitted[] {
    return this.actions
      .filter((a) => a.type === 'xstate.emit')
      .map((a) => (a.params as { event: SocketEmitted }).event);
  }

  /** The effect actions of the last step, with their params. */
  effects(): ActionLike[] {
    return this.actions
      .filter((a) => EFFECTS.has(a.type))
      .map((a) => (a.params === undefined ? { type: a.type } : { type: a.type, params: a.params }));
  }

  /** Delayed raises scheduled by the last step: `{ name, delay }`. */
  scheduled(): { name: string; delay: unknown }[] {
    return this.actions
      .filter((a) => a.type === 'xstate.raise')
      .map((a) => a.params as { id?: string; delay?: unknown })
      .filter((p) => p.delay !== undefined)
      .map((p) => ({ name: (p.id ?? '').split('.')[2] ?? '', delay: p.delay }));
  }

  /** Timers the last step cancelled (their ids). */
  cancelled(): string[] {
    return this.actions
      .filter((a) => a.type === 'xstate.cancel')
      .map((a) => (a.params as { sendId: string }).sendId);
  }
}

function peerInput(linkId: string): ConnectionInput {
  return { linkId, label: `mem://${linkId.slice(5)}`, seed: 1 };
}

describe('socket chart: helpers', () => {
  it('groupOf reads the group of `link:<group>/<n>` ids only', () => {
    expect(groupOf('link:api/0')).toBe('api');
    expect(groupOf('link:api/12')).toBe('api');
    expect(groupOf('link:feed')).toBeNull();
    expect(groupOf('link:1')).toBeNull();
    // A slash right after the prefix names no group.
    expect(groupOf('link:/0')).toBeNull();
    expect(groupOf('link:a/0')).toBe('a');
  });
});

describe('socket chart: starting', () => {
  it('starts open, with no peers, no effects and the default linger', () => {
    const walk = new Walk();
    expect(walk.snapshot.value).toBe('open');
    expect(walk.context).toEqual({
      online: true,
      escalated: 0,
      degraded: false,
      degradedShare: 0.5,
      lingerMs: LINGER_DEFAULT_MS,
      peers: 0,
      ready: 0,
      groups: {},
      reconnectEnabled: true,
    });
    expect(walk.actions).toEqual([]);
  });

  it('takes lingerMs and the reconnect flag from its input', () => {
    const walk = new Walk({ lingerMs: 1_234, reconnectEnabled: false });
    expect(walk.context.lingerMs).toBe(1_234);
    expect(walk.context.reconnectEnabled).toBe(false);
  });
});

describe('socket chart: peers', () => {
  it('peer.add returns one spawnPeers action and counts the peer', () => {
    const walk = new Walk().add('link:a');
    expect(walk.effects().map((e) => e.type)).toEqual(['spawnPeers']);
    expect(walk.context.peers).toBe(1);
    expect(walk.context.ready).toBe(0);
    expect(walk.emitted()).toEqual([]);

    walk.add('link:b');
    expect(walk.effects().map((e) => e.type)).toEqual(['spawnPeers']);
    expect(walk.context.peers).toBe(2);
  });

  it('a peer.add of a start slice is one step: one spawnPeers with every link in order, each counted', () => {
    const inputs = (walk: Walk) =>
      ((walk.effects()[0] as ActionLike).params as { inputs: ConnectionInput[] }).inputs;
    const walk = new Walk().add('link:a', 'link:api/0', 'link:api/1', 'link:b');
    expect(walk.effects().map((e) => e.type)).toEqual(['spawnPeers']);
    expect(inputs(walk).map((input) => input.linkId)).toEqual([
      'link:a',
      'link:api/0',
      'link:api/1',
      'link:b',
    ]);
    expect(inputs(walk).map((input) => input.reports)).toEqual([
      SINGLE_LINK_REPORTS,
      GROUP_MEMBER_REPORTS,
      GROUP_MEMBER_REPORTS,
      SINGLE_LINK_REPORTS,
    ]);
    expect(walk.context.peers).toBe(4);
    expect(walk.context.groups.api).toMatchObject({ peers: 2, ready: 0 });
    expect(walk.emitted()).toEqual([]);
    // The same counts as one link at a time.
    const one = new Walk().add('link:a').add('link:api/0').add('link:api/1').add('link:b');
    expect(walk.context).toEqual(one.context);
    // An empty slice counts nothing.
    walk.add();
    expect(walk.context.peers).toBe(4);
  });

  it('a slice that makes a sick socket and group well again emits each recovered edge once', () => {
    const walk = new Walk({ degradedShare: 0.5 })
      .add('link:g/0')
      .send({ type: 'link.sick', linkId: 'link:g/0' });
    expect(walk.context.degraded).toBe(true);
    expect(walk.context.groups.g?.degraded).toBe(true);
    walk.add('link:g/1', 'link:x', 'link:g/2');
    expect(walk.emitted()).toEqual([{ type: 'socket.recovered' }, { type: 'group.recovered', group: 'g' }]);
    expect(walk.context).toMatchObject({ peers: 4, escalated: 1, degraded: false });
    expect(walk.context.groups.g).toMatchObject({ peers: 3, escalated: 1, degraded: false });
  });

  it('spawnPeers starts each link with its input, the reconnect switch and the reports this chart takes', () => {
    const spawned = (walk: Walk) =>
      ((walk.effects()[0] as ActionLike).params as { inputs: ConnectionInput[] })
        .inputs[0] as ConnectionInput;
    const walk = new Walk().add('link:a');
    // Every link.* event some transition of the chart takes, read from the chart, and no other:
    // link.reconnecting, link.escalated, link.resumed and link.reset would each be a step for nothing.
    const single = ['link.closed', 'link.failed', 'link.healed', 'link.ready', 'link.sick', 'link.unready'];
    expect(spawned(walk)).toEqual({
      ...peerInput('link:a'),
      reconnectEnabled: true,
      reports: SINGLE_LINK_REPORTS,
    });
    expect([...SINGLE_LINK_REPORTS].sort()).toEqual(single);
    // link.lost restarts a group (restartsGroup): only a member of a group reports it.
    walk.add('link:api/0');
    expect([...(spawned(walk).reports ?? [])].sort()).toEqual([...single, 'link.lost'].sort());
    expect(spawned(walk).reports).toBe(GROUP_MEMBER_REPORTS);
    // Offline, or with the switch off, a new link starts with reconnecting off.
    walk.send({ type: 'network.offline' }).add('link:b');
    expect(spawned(walk).reconnectEnabled).toBe(false);
    walk.send({ type: 'network.online' }).add('link:c');
    expect(spawned(walk).reconnectEnabled).toBe(true);
    walk.send({ type: 'reconnect.disable' }).add('link:d');
    expect(spawned(walk).reconnectEnabled).toBe(false);
  });

  it('the reports a link is started with are every link.* event the chart takes, derived from the chart', () => {
    // Walk the states: a report the chart takes in no state is one a link need not send.
    const taken = new Set<string>();
    for (const state of Object.values(machine.root.states)) {
      for (const type of Object.keys(state.config.on ?? {})) if (type.startsWith('link.')) taken.add(type);
    }
    expect([...taken].sort()).toEqual([...GROUP_MEMBER_REPORTS].sort());
    const walk = new Walk().add('link:a').add('link:api/0');
    for (const type of SINGLE_LINK_REPORTS) expect(GROUP_MEMBER_REPORTS).toContain(type);
    expect(GROUP_MEMBER_REPORTS.filter((t) => !SINGLE_LINK_REPORTS.includes(t))).toEqual(['link.lost']);
    // A single link's link.lost does nothing here (no group to restart): not sending it loses nothing.
    const before = walk.snapshot;
    walk.send({ type: 'link.lost', linkId: 'link:a', reason: { kind: 'close', code: 1006, message: 'x' } });
    expect(walk.snapshot.context).toEqual(before.context);
    expect(walk.actions).toEqual([]);
  });

  it('peer.remove asks for closePeer and counts nothing until the link reports it closed', () => {
    const walk = new Walk().add('link:a').add('link:b');
    walk.send({ type: 'peer.remove', linkId: 'link:a' });
    expect(walk.effects()).toEqual([{ type: 'closePeer' }]);
    expect(walk.context.peers).toBe(2);
    walk.closed('link:a');
    expect(walk.context.peers).toBe(1);
    expect(walk.effects()).toEqual([]);
  });

  it('link.failed counts the peer gone too', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'link.failed', linkId: 'link:a', reason: { kind: 'gave-up', message: 'x' } });
    expect(walk.context.peers).toBe(0);
    expect(walk.snapshot.value).toBe('open');
  });
});

describe('socket chart: first-up / last-down edges', () => {
  it('link.ready from 0 emits socket.up once; a second link.ready emits nothing', () => {
    const walk = new Walk().add('link:a').add('link:b');
    walk.ready('link:a');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    expect(walk.context.ready).toBe(1);
    walk.ready('link:b');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(2);
  });

  it('link.unready 2 → 1 emits nothing; 1 → 0 emits socket.down', () => {
    const walk = new Walk().add('link:a').add('link:b').ready('link:a').ready('link:b');
    walk.unready('link:a');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(1);
    walk.unready('link:b');
    expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);
    expect(walk.context.ready).toBe(0);
  });

  it('up and down alternate, one edge each, across a flapping sequence', () => {
    const walk = new Walk().add('link:a').add('link:b');
    const edges: string[] = [];
    const steps: [string, 'ready' | 'unready'][] = [
      ['link:a', 'ready'],
      ['link:b', 'ready'],
      ['link:a', 'unready'],
      ['link:a', 'ready'],
      ['link:b', 'unready'],
      ['link:a', 'unready'],
      ['link:b', 'ready'],
      ['link:b', 'unready'],
    ];
    for (const [id, kind] of steps) {
      if (kind === 'ready') walk.ready(id);
      else walk.unready(id);
      edges.push(...walk.emitted().map((e) => e.type));
    }
    expect(edges).toEqual(['socket.up', 'socket.down', 'socket.up', 'socket.down']);
  });

  it('groups: counts per group and group.up / group.down for link:api/0 and link:api/1', () => {
    const walk = new Walk().add('link:api/0').add('link:api/1').add('link:feed');
    expect(walk.context.groups).toEqual({
      api: { peers: 2, ready: 0, escalated: 0, degraded: false, strategy: 'one-for-one', size: 0 },
    });
    expect(walk.context.peers).toBe(3);

    walk.ready('link:api/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }, { type: 'group.up', group: 'api' }]);
    expect(walk.context.groups).toEqual({
      api: { peers: 2, ready: 1, escalated: 0, degraded: false, strategy: 'one-for-one', size: 0 },
    });

    walk.ready('link:api/1');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.groups.api).toEqual({
      peers: 2,
      ready: 2,
      escalated: 0,
      degraded: false,
      strategy: 'one-for-one',
      size: 0,
    });

    walk.ready('link:feed');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(3);

    walk.unready('link:api/1');
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:api/0');
    expect(walk.emitted()).toEqual([{ type: 'group.down', group: 'api' }]);
    expect(walk.context.groups.api).toEqual({
      peers: 2,
      ready: 0,
      escalated: 0,
      degraded: false,
      strategy: 'one-for-one',
      size: 0,
    });
    expect(walk.context.ready).toBe(1);

    walk.unready('link:feed');
    expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);

    // A group whose links are all gone is forgotten.
    walk.closed('link:api/0').closed('link:api/1');
    expect(walk.context.groups).toEqual({});
  });

  it('group.up fires for a group even while another link keeps the socket up', () => {
    const walk = new Walk().add('link:feed').add('link:api/0').ready('link:feed');
    walk.ready('link:api/0');
    expect(walk.emitted()).toEqual([{ type: 'group.up', group: 'api' }]);
  });
});

describe('socket chart: reconnect flag', () => {
  it('reconnect.disable / reconnect.enable set the flag and tell every peer', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'reconnect.disable' });
    expect(walk.context.reconnectEnabled).toBe(false);
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'reconnect.disable' } } }]);

    walk.send({ type: 'reconnect.enable' });
    expect(walk.context.reconnectEnabled).toBe(true);
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'reconnect.enable' } } }]);
  });
});

describe('socket chart: close and terminate', () => {
  it('socket.close → closing with tellPeers link.close; each link.closed counts down; the last → closed', () => {
    const walk = new Walk({ lingerMs: 2_500 }).add('link:a').add('link:b').ready('link:a');
    walk.send({ type: 'socket.close' });
    expect(walk.snapshot.value).toBe('closing');
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.close' } } }]);

    walk.closed('link:a');
    expect(walk.snapshot.value).toBe('closing');
    expect(walk.context.peers).toBe(1);
    expect(walk.effects()).toEqual([]);

    walk.closed('link:b');
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.snapshot.status).toBe('done');
    expect(walk.effects()).toEqual([]);
    expect(walk.cancelled()).toEqual(['xstate.after.linger.socket.closing']);
  });

  it('closing with peers left schedules the `linger` delay equal to lingerMs', () => {
    const walk = new Walk({ lingerMs: 4_321 }).add('link:a');
    walk.send({ type: 'socket.close' });
    expect(walk.scheduled()).toEqual([{ name: 'linger', delay: 4_321 }]);

    const defaults = new Walk().add('link:a').send({ type: 'socket.close' });
    expect(defaults.scheduled()).toEqual([{ name: 'linger', delay: LINGER_DEFAULT_MS }]);
  });

  it('the linger timer ends the rest: closing → terminating (link.terminate to every link) → closed', () => {
    const walk = new Walk({ lingerMs: 100 }).add('link:a').send({ type: 'socket.close' });
    walk.send({ type: 'xstate.after.linger.socket.closing' } as unknown as SocketEvent);
    expect(walk.snapshot.value).toBe('terminating');
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.terminate' } } }]);
    walk.closed('link:a');
    expect(walk.snapshot.value).toBe('closed');
  });

  it('socket.close with no peers goes straight to closed', () => {
    const walk = new Walk().send({ type: 'socket.close' });
    expect(walk.snapshot.value).toBe('closed');
    expect(walk.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.close' } } }]);
  });

  it('socket.terminate → terminating (link.terminate to every link) → closed, from open and from closing', () => {
    const open = new Walk().add('link:a').ready('link:a').send({ type: 'socket.terminate' });
    expect(open.snapshot.value).toBe('terminating');
    expect(open.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.terminate' } } }]);
    open.unready('link:a');
    open.closed('link:a');
    expect(open.snapshot.value).toBe('closed');
    expect(open.emitted()).toEqual([]);

    const closing = new Walk()
      .add('link:a')
      .send({ type: 'socket.close' })
      .send({ type: 'socket.terminate' });
    expect(closing.snapshot.value).toBe('terminating');
    expect(closing.effects()).toEqual([{ type: 'tellPeers', params: { event: { type: 'link.terminate' } } }]);
    expect(closing.cancelled()).toEqual(['xstate.after.linger.socket.closing']);
    closing.closed('link:a');
    expect(closing.snapshot.value).toBe('closed');
  });

  it('no down edge while closing: the last ready link leaving ready emits nothing', () => {
    const walk = new Walk().add('link:a').add('link:api/0').ready('link:a').ready('link:api/0');
    walk.send({ type: 'socket.close' });
    walk.unready('link:a');
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:api/0');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(0);
    // Nor an up edge.
    walk.ready('link:a');
    expect(walk.emitted()).toEqual([]);
  });

  it('closing ignores peer.add and reconnect toggles; socket.close is idempotent', () => {
    const walk = new Walk().add('link:a').send({ type: 'socket.close' });
    walk.add('link:b');
    expect(walk.effects()).toEqual([]);
    expect(walk.context.peers).toBe(1);
    walk.send({ type: 'reconnect.disable' });
    expect(walk.effects()).toEqual([]);
    expect(walk.context.reconnectEnabled).toBe(true);
    walk.send({ type: 'socket.close' });
    expect(walk.actions).toEqual([]);
    expect(walk.snapshot.value).toBe('closing');
  });

  it('closed is final: nothing further happens', () => {
    const walk = new Walk().add('link:a').send({ type: 'socket.terminate' });
    walk.closed('link:a');
    expect(walk.snapshot.value).toBe('closed');
    for (const event of [
      { type: 'socket.close' },
      { type: 'socket.terminate' },
      { type: 'peer.add', inputs: [peerInput('link:z')] },
      { type: 'link.ready', linkId: 'link:a', readyCount: 1 },
    ] as SocketEvent[]) {
      walk.send(event);
      expect(walk.actions).toEqual([]);
      expect(walk.snapshot.value).toBe('closed');
    }
  });
});

describe('socket chart: degraded / recovered edges (restart intensity)', () => {
  const escalated = (linkId: string): SocketEvent => ({ type: 'link.sick', linkId });
  const deescalated = (linkId: string): SocketEvent => ({ type: 'link.healed', linkId });

  it('degraded once MORE than degradedShare of the live links are escalated; recovered at or under it', () => {
    const walk = new Walk().add('link:a').add('link:b').add('link:c').add('link:d');
    walk.send(escalated('link:a')).send(escalated('link:b'));
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.degraded).toBe(false);
    walk.send(escalated('link:c'));
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
    expect(walk.context).toMatchObject({ escalated: 3, degraded: true });
    walk.send(escalated('link:d'));
    expect(walk.emitted()).toEqual([]);
    walk.send(deescalated('link:d'));
    expect(walk.emitted()).toEqual([]);
    walk.send(deescalated('link:c'));
    expect(walk.emitted()).toEqual([{ type: 'socket.recovered' }]);
    expect(walk.context).toMatchObject({ escalated: 2, degraded: false });
  });

  it('a new healthy link can recover the share; a healthy link leaving can degrade it', () => {
    const walk = new Walk().add('link:a').send(escalated('link:a'));
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
    walk.add('link:b');
    expect(walk.emitted()).toEqual([{ type: 'socket.recovered' }]);
    walk.closed('link:b');
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
  });

  it('groups have their own edges, counted over their own links', () => {
    const walk = new Walk({ degradedShare: 0.25 }).add('link:api/0').add('link:api/1').add('link:feed');
    walk.add('link:x').add('link:y').add('link:z');
    walk.send(escalated('link:api/0'));
    expect(walk.emitted()).toEqual([{ type: 'group.degraded', group: 'api' }]);
    expect(walk.context.groups.api).toMatchObject({ escalated: 1, degraded: true });
    expect(walk.context.degraded).toBe(false);
    walk.send(deescalated('link:api/0'));
    expect(walk.emitted()).toEqual([{ type: 'group.recovered', group: 'api' }]);
  });

  it('a healthy link failing can degrade the socket too', () => {
    const walk = new Walk().add('link:a').add('link:b').send(escalated('link:a'));
    expect(walk.emitted()).toEqual([]);
    walk.send({
      type: 'link.failed',
      linkId: 'link:b',
      reason: { kind: 'http', status: 403, message: 'no' },
    });
    expect(walk.emitted()).toEqual([{ type: 'socket.degraded' }]);
  });

  it('each group keeps its own counts while others change', () => {
    const walk = new Walk().add('link:api/0').add('link:db/0').ready('link:api/0');
    const plain = { escalated: 0, degraded: false, strategy: 'one-for-one', size: 0 };
    expect(walk.context.groups).toEqual({
      api: { peers: 1, ready: 1, ...plain },
      db: { peers: 1, ready: 0, ...plain },
    });
    walk.unready('link:api/0').closed('link:api/0');
    expect(walk.context.groups).toEqual({ db: { peers: 1, ready: 0, ...plain } });
  });

  it('a terminating socket counts but emits no edge either', () => {
    const walk = new Walk().add('link:g/0').add('link:b').send(escalated('link:b')).ready('link:g/0');
    walk.send({ type: 'socket.terminate' });
    walk.unready('link:g/0');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.ready).toBe(0);
    walk.closed('link:g/0');
    expect(walk.emitted()).toEqual([]);
    expect(walk.context.degraded).toBe(true);
  });

  it('a closing socket counts but emits no edge', () => {
    const walk = new Walk().add('link:a').send(escalated('link:a')).send({ type: 'socket.close' });
    walk.closed('link:a');
    expect(walk.emitted()).toEqual([]);
    expect(walk.snapshot.value).toBe('closed');
  });
});

describe('socket chart: network signals', () => {
  const told = (walk: Walk) =>
    walk
      .effects()
      .filter((e) => e.type === 'tellPeers')
      .map((e) => (e.params as { event: { type: string } }).event.type);

  it('offline: links stop attempting and ready ones are checked; online: waiting links rejoin', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'network.offline' });
    expect(walk.context.online).toBe(false);
    expect(told(walk)).toEqual(['reconnect.disable', 'heartbeat.overdue']);
    walk.send({ type: 'network.online' });
    expect(walk.context.online).toBe(true);
    expect(told(walk)).toEqual(['network.online', 'heartbeat.overdue']);
    walk.send({ type: 'network.wake' });
    expect(told(walk)).toEqual(['network.online', 'heartbeat.overdue']);
  });

  it('the reconnect switch keeps its word: no rejoin while off; enabling while offline tells no link', () => {
    const walk = new Walk().add('link:a');
    walk.send({ type: 'reconnect.disable' }).send({ type: 'network.online' });
    expect(told(walk)).toEqual(['heartbeat.overdue']);
    walk.send({ type: 'network.offline' }).send({ type: 'reconnect.enable' });
    expect(walk.context.reconnectEnabled).toBe(true);
    expect(told(walk)).toEqual([]);
    walk.send({ type: 'network.online' });
    expect(told(walk)).toEqual(['network.online', 'heartbeat.overdue']);
  });
});

describe('socket chart: group strategies', () => {
  const GROUP_REASON = { kind: 'group', cause: 'link:g/0', message: 'restarted with group g' } as const;
  const RESET = { kind: 'close', code: 1006, message: 'reset' } as const;

  /** A group `g` of `size` members, added, none ready yet. */
  function members(strategy: GroupStrategy, size: number): Walk {
    const walk = new Walk().send({ type: 'group.add', group: 'g', strategy, size });
    for (let i = 0; i < size; i++) walk.add(`link:g/${i}`);
    return walk;
  }

  /** A group `g` of `size` members, all ready. */
  function group(strategy: GroupStrategy, size = 3): Walk {
    const walk = members(strategy, size);
    for (let i = 0; i < size; i++) walk.ready(`link:g/${i}`);
    return walk;
  }

  const lost = (walk: Walk, linkId: string, reason: Reason = RESET) =>
    walk.send({ type: 'link.lost', linkId, reason });

  it('group.add records the strategy and size; counts start at zero', () => {
    const walk = new Walk().send({ type: 'group.add', group: 'g', strategy: 'one-for-all', size: 2 });
    expect(walk.context.groups).toEqual({
      g: { peers: 0, ready: 0, escalated: 0, degraded: false, strategy: 'one-for-all', size: 2 },
    });
    expect(walk.effects()).toEqual([]);
  });

  it('a group named "null" is a group like any other: a single link’s reports never reach it', () => {
    const walk = new Walk().send({ type: 'group.add', group: 'null', strategy: 'one-for-all', size: 2 });
    walk.add('link:null/0', 'link:null/1', 'link:solo');
    walk.ready('link:null/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    walk.ready('link:null/1');
    expect(walk.emitted()).toEqual([{ type: 'group.up', group: 'null' }]);
    walk.ready('link:solo');
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:solo');
    expect(walk.emitted()).toEqual([]);
    lost(walk, 'link:solo');
    expect(walk.effects()).toEqual([]);
    expect(walk.emitted()).toEqual([]);
    walk.unready('link:null/1');
    expect(walk.emitted()).toEqual([{ type: 'group.down', group: 'null' }]);
    expect(walk.context.groups.null).toMatchObject({ peers: 2, ready: 1 });
  });

  it('one-for-one: a lost member restarts nobody', () => {
    const walk = lost(group('one-for-one'), 'link:g/1');
    expect(walk.effects()).toEqual([]);
    expect(walk.emitted()).toEqual([]);
  });

  it('one-for-all: a lost member restarts every other one, in order, and says so', () => {
    const walk = lost(group('one-for-all'), 'link:g/1');
    const members = ['link:g/0', 'link:g/2'];
    expect(walk.effects()).toEqual([
      {
        type: 'tellLinks',
        params: { linkIds: members, event: { type: 'link.restart', group: 'g', cause: 'link:g/1' } },
      },
    ]);
    expect(walk.emitted()).toEqual([
      { type: 'group.restart', group: 'g', strategy: 'one-for-all', cause: 'link:g/1', members },
    ]);
  });

  it('rest-for-one: the members after the lost one restart, in order; the last one restarts nobody', () => {
    const walk = lost(group('rest-for-one', 4), 'link:g/1');
    expect(walk.effects()).toEqual([
      {
        type: 'tellLinks',
        params: {
          linkIds: ['link:g/2', 'link:g/3'],
          event: { type: 'link.restart', group: 'g', cause: 'link:g/1' },
        },
      },
    ]);
    expect(lost(group('rest-for-one', 4), 'link:g/3').effects()).toEqual([]);
  });

  it('a member restarted by its group (reason kind group) restarts nobody: no storm', () => {
    for (const strategy of ['one-for-all', 'rest-for-one'] as const) {
      const walk = lost(group(strategy), 'link:g/2', GROUP_REASON);
      expect(walk.effects()).toEqual([]);
      expect(walk.emitted()).toEqual([]);
    }
  });

  it('a lost single link, or a lost member while closing, restarts nobody', () => {
    const single = new Walk().add('link:a').ready('link:a');
    expect(lost(single, 'link:a').effects()).toEqual([]);
    const closing = group('one-for-all').send({ type: 'socket.close' });
    expect(lost(closing, 'link:g/0').effects()).toEqual([]);
  });

  it('one-for-all: up only when every member is ready, down when the first leaves ready', () => {
    const walk = members('one-for-all', 2);
    walk.ready('link:g/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }]);
    walk.ready('link:g/1');
    expect(walk.emitted()).toEqual([{ type: 'group.up', group: 'g' }]);
    walk.unready('link:g/1');
    expect(walk.emitted()).toEqual([{ type: 'group.down', group: 'g' }]);
    walk.unready('link:g/0');
    expect(walk.emitted()).toEqual([{ type: 'socket.down' }]);
  });

  it('rest-for-one: up with its first ready member, like one-for-one', () => {
    const walk = members('rest-for-one', 2);
    walk.ready('link:g/1');
    expect(walk.emitted()).toEqual([{ type: 'socket.up' }, { type: 'group.up', group: 'g' }]);
  });

  it('restart targets, memberIndex and readyToBeUp, as pure functions', () => {
    expect(restartTargets('one-for-one', 3, 0)).toEqual([]);
    expect(restartTargets('one-for-all', 3, 2)).toEqual([0, 1]);
    expect(restartTargets('rest-for-one', 3, 0)).toEqual([1, 2]);
    expect(restartTargets('rest-for-one', 3, 7)).toEqual([]);
    expect(restartTargets('one-for-all', 3, -1)).toEqual([]);
    expect(memberIndex('link:g/12')).toBe(12);
    expect(memberIndex('link:g')).toBe(-1);
    expect(memberIndex('link:g/x')).toBe(-1);
    // Member 0 counts; a negative, fractional or group-less index does not.
    expect(memberIndex('link:g/0')).toBe(0);
    expect(memberIndex('link:g/-1')).toBe(-1);
    expect(memberIndex('link:g/-2')).toBe(-1); // not -2: -1 alone would pass without the sign check
    expect(memberIndex('link:g/1.5')).toBe(-1);
    expect(memberIndex('link:/3')).toBe(-1);
    // The member just past the group restarts nobody; the last one of a one-for-all group does.
    expect(restartTargets('one-for-all', 3, 3)).toEqual([]);
    expect(restartTargets('rest-for-one', 3, 2)).toEqual([]);
    expect(restartTargets('one-for-all', 2, 1)).toEqual([0]);
    expect(GROUP_STRATEGIES).toEqual(['one-for-one', 'one-for-all', 'rest-for-one']);
    expect(readyToBeUp('one-for-all', 3)).toBe(3);
    expect(readyToBeUp('rest-for-one', 3)).toBe(1);
    expect(readyToBeUp('one-for-one', 3)).toBe(1);
  });
});
