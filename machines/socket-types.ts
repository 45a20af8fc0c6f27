/**
 * The socket chart's types: what it is started with (`SocketInput`), its context (the counts of
 * live, ready and escalated links, overall and per group), the events it accepts and those it
 * emits. socket.machine.ts is the chart; ./socket-setup.ts its named actions, guards and delays.
 * Types only: nothing here runs.
 */
import type { ConnectionInput, LinkReport } from './connection-types.js';
import type { GroupStrategy } from './policy/group.js';

/** What a supervisor's socket chart is started with. */
export interface SocketInput {
  /** How long closing waits for every link to drain and close before ending them, in ms. */
  lingerMs?: number;
  /** Whether links may reconnect (the flag can be toggled later). */
  reconnectEnabled?: boolean;
  /** The socket (or a group) is degraded while more than this share of its live links are
   * escalated (machines/policy/intensity.ts). */
  degradedShare?: number;
}

/** Live and ready links of one group of endpoints. */
export interface GroupCount {
  peers: number;
  ready: number;
  /** Links escalated by their restart intensity and not stable again. */
  escalated: number;
  degraded: boolean;
  /** What the group does when a member is lost (machines/policy/group.ts). */
  strategy: GroupStrategy;
  /** Members given to connectGroup. */
  size: number;
}

/**
 * The socket chart's context: how many links are live and ready (overall and per group), the
 * linger, the reconnect switch.
 */
export interface SocketContext {
  lingerMs: number;
  /** Live peers (added and not yet closed or failed). */
  peers: number;
  /** Peers that are ready now. */
  ready: number;
  /** Counts per group of endpoints (`link:<group>/<n>` ids), from `group.add` to `group.remove`
   * (kept while no member is live: more may start); groups are few. */
  groups: Record<string, GroupCount>;
  reconnectEnabled: boolean;
  /** The network is up as far as the last signal said (`offline` until `online` or `wake`). */
  online: boolean;
  /** Links escalated by their restart intensity and not stable again. */
  escalated: number;
  /** More than `degradedShare` of the live links are escalated: the service is sick. */
  degraded: boolean;
  degradedShare: number;
}

/**
 * Every event the socket chart accepts: its commands (`peer.*`, `socket.*`, `reconnect.*`) and its
 * links' reports (`link.*`).
 */
export type SocketEvent =
  /** Links that join the socket, in the order they start (one start slice of the supervisor). */
  | { type: 'peer.add'; inputs: readonly ConnectionInput[] }
  | { type: 'peer.remove'; linkId: string; code?: number; reason?: string }
  | { type: 'reconnect.disable' }
  | { type: 'reconnect.enable' }
  /** Network signals (supervisor.signal): the network went away, came back, the machine woke up. */
  | { type: 'network.offline' }
  | { type: 'network.online' }
  | { type: 'network.wake' }
  /** A group of `size` members (`link:<group>/0` … ) and its strategy, before its links start. */
  | { type: 'group.add'; group: string; strategy: GroupStrategy; size: number }
  /** The group has ended (every member closed or failed, none left to start): forget it. */
  | { type: 'group.remove'; group: string }
  | { type: 'socket.close' }
  | { type: 'socket.terminate' }
  | LinkReport;

/** The events an action receives, by the chart's wiring: a type assertion, not a check (a check the
 * wiring makes always true would be dead code, and a mutant of it an equivalent one). */
export type SocketEventOf<T extends SocketEvent['type']> = Extract<SocketEvent, { type: T }>;

/** What the socket chart emits: first link up, last link down, and the same edges per group. */
export type SocketEmitted =
  | { type: 'socket.up' }
  | { type: 'socket.down' }
  | { type: 'group.up'; group: string }
  | { type: 'group.down'; group: string }
  | { type: 'socket.degraded' }
  | { type: 'socket.recovered' }
  | { type: 'group.degraded'; group: string }
  | { type: 'group.recovered'; group: string }
  /** Member `cause` of `group` was lost: `members` (link ids, in order) restart with it. */
  | { type: 'group.restart'; group: string; strategy: GroupStrategy; cause: string; members: string[] };
