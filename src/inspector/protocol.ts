/**
 * What the inspector server and its page say to each other, as JSON over the page's WebSocket.
 * Types only: shared by the Node side (src/inspector) and the browser bundle (./page).
 *
 * Records are compact and already redacted: no message payload unless the server was started
 * with `showPayloads`, no token of a URL or header, ever.
 */

/** Which part of the actor tree an actor belongs to. */
export type ActorGroup = 'supervisor' | 'links' | 'watchers' | 'actors';

/** The live figures of an actor panel (each present when the actor's chart has it). */
export interface Figures {
  /** Retries since the link (or startup probes since the watcher) was last stable. */
  attempt?: number;
  /** Delay of the retry being waited for, in ms. */
  nextDelayMs?: number | null;
  /** Epoch ms (server clock) when that retry is due: the page counts down to it. */
  retryAt?: number | null;
  rttMs?: number | null;
  missedPongs?: number;
  readyCount?: number;
  queue?: { messages: number; bytes: number };
  lastError?: string | null;
  failure?: string | null;
  /** Redacted endpoint of a link. */
  url?: string;
  /** Socket chart: live links, ready links, reconnect flag. */
  peers?: number;
  ready?: number;
  reconnectEnabled?: boolean;
  /** Watcher chart. */
  probes?: number;
  failures?: number;
  maxAttempts?: number;
}

export interface ActorInfo {
  /** The actor's id: `socket`, `link:feed`, `watcher:postgres`. */
  id: string;
  /** The machine's id: `socket`, `connection`, `watcher`. */
  machine: string;
  /** Key of its chart in `charts`. */
  chart: string;
  group: ActorGroup;
  /** Logical parent in the tree (a link's socket). */
  parent?: string;
  status: 'active' | 'done' | 'error' | 'stopped';
  /** The public state name (`ready`, `reconnecting`; a watcher's `starting`…). */
  state: string;
  /** Dot paths of the active states, ancestors included (`attempt`, `attempt.ready`, …). */
  active: string[];
  figures: Figures;
  startedAt: number;
}

/** One step of an actor's timeline: a change of its active states (or its start and end). */
export interface TransitionRecord {
  /** Increasing across the inspector: newest has the highest. */
  seq: number;
  actor: string;
  /** Epoch ms, server clock. */
  at: number;
  /** Readable event: `transport.closed`, `after reconnectDelay`, `start`, `stop`. */
  event: string;
  /** Deepest active state path before and after (`attempt.ready.beating` → `reconnecting`). */
  from: string;
  to: string;
  reason?: string;
  attempt?: number;
  nextDelayMs?: number;
  /** The event's other fields, redacted; only sent with `showPayloads`. */
  payload?: unknown;
}

/** A chart laid out for drawing (coordinates in px, absolute). */
export interface LaidOutChart {
  key: string;
  machine: string;
  width: number;
  height: number;
  states: LaidOutState[];
  /** The start dot of each compound state (and the root). */
  initials: { parent: string; x: number; y: number }[];
  edges: LaidOutEdge[];
  /** Transitions of the root that change no state ("in any state, on …"). */
  rootEvents: string[];
}

export interface LaidOutState {
  path: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Transitions that change no state, as labels (`heartbeat.pong [pingOutstanding]`). */
  notes: string[];
  tags: string[];
  description?: string;
}

export type EdgeKind = 'event' | 'after' | 'always' | 'done' | 'error' | 'initial';

/** One arrow per pair of states: the transitions between them are its label's lines. */
export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  /** One line per transition: `transport.open [hasHandshake]`, `after connectTimeout`. */
  lines: { text: string; kind: EdgeKind }[];
  /** `after` or `always` when every line is one, else `event` (`initial` for a start arrow). */
  kind: EdgeKind;
  points: { x: number; y: number }[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface ServerInfo {
  version: string;
  allowEvents: boolean;
  showPayloads: boolean;
  /** Events the page may send to each machine's actors (empty unless `allowEvents`). */
  commands: Record<string, string[]>;
  /** The inspector was attached after the supervisor started (some history is missing). */
  lateAttach: boolean;
}

export type ServerMessage =
  | {
      type: 'hello';
      now: number;
      server: ServerInfo;
      charts: LaidOutChart[];
      actors: ActorInfo[];
      records: TransitionRecord[];
    }
  | { type: 'chart'; chart: LaidOutChart }
  | { type: 'actor'; now: number; actor: ActorInfo }
  | { type: 'removed'; actor: string }
  | { type: 'record'; now: number; record: TransitionRecord }
  | { type: 'figures'; now: number; actor: string; figures: Figures }
  | { type: 'pong'; id?: number }
  | { type: 'result'; ok: boolean; message: string };

export type PageMessage =
  | { type: 'ping'; id?: number }
  | { type: 'send'; actor: string; event: { type: string } };
