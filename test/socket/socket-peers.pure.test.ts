/**
 * The socket chart's peers: groupOf, the start (linger, the reconnect flag), peer.add and its start
 * slices, the links spawned with their input and the reports they send, peer.remove, link.failed.
 * Pure: `initialTransition` / `transition` through `Walk` (socket-walk.ts); no actor runs and no timer exists.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import { LINGER_DEFAULT_MS } from '../../machines/policy/timeouts.js';
import {
  peerInput as chartPeerInput,
  GROUP_MEMBER_REPORTS,
  groupOf,
  SINGLE_LINK_REPORTS,
} from '../../machines/socket.machine.js';
import { type ActionLike, machine, peerInput, Walk } from './socket-walk.js';

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
    const walk = new Walk().group('api', 2).add('link:a', 'link:api/0', 'link:api/1', 'link:b');
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
    const one = new Walk().group('api', 2).add('link:a').add('link:api/0').add('link:api/1').add('link:b');
    expect(walk.context).toEqual(one.context);
    // An empty slice counts nothing.
    walk.add();
    expect(walk.context.peers).toBe(4);
  });

  it('a slice that makes a sick socket and group well again emits each recovered edge once', () => {
    const walk = new Walk({ degradedShare: 0.5 })
      .group('g', 3)
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
    // link.lost restarts a group (restartsGroup): only a member of a group reports it, a member
    // of a group the chart has (group.add), not a link whose id merely looks like one.
    walk.add('link:api/0');
    expect(spawned(walk).reports).toBe(SINGLE_LINK_REPORTS);
    walk.group('api', 2).add('link:api/1');
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

  it("peerInput: a member by the chart's groups, unless the caller says (a link started mid-step)", () => {
    const input = peerInput('link:x/1');
    const none = new Walk().context;
    const withX = new Walk().group('x', 2).context;
    // By the chart's context.groups: the id's shape alone makes no member.
    expect(chartPeerInput(none, input).reports).toBe(SINGLE_LINK_REPORTS);
    expect(chartPeerInput(withX, input).reports).toBe(GROUP_MEMBER_REPORTS);
    expect(chartPeerInput(withX, peerInput('link:y/1')).reports).toBe(SINGLE_LINK_REPORTS);
    // The runtime knows better while the chart has not taken a queued group.add (or group.remove).
    expect(chartPeerInput(none, input, true).reports).toBe(GROUP_MEMBER_REPORTS);
    expect(chartPeerInput(withX, input, false).reports).toBe(SINGLE_LINK_REPORTS);
    expect(chartPeerInput(withX, input, true)).toEqual({
      ...input,
      reconnectEnabled: true,
      reports: GROUP_MEMBER_REPORTS,
    });
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
