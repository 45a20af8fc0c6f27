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
  /** Consecutive failed probes, and how many make a ready watcher down. */
  failures?: number;
  failuresBeforeDown?: number;
  /** Consecutive successful probes, and how many make a down watcher ready again. */
  successes?: number;
  successesBeforeUp?: number;
  maxAttempts?: number;
}

/** An actor in the page's list: what every page knows of every actor (no figures, no timeline). */
export interface ActorRow {
  /** The actor's id: `socket`, `link:feed`, `watcher:postgres`. */
  id: string;
  /** The machine's id: `socket`, `connection`, `watcher`. */
  machine: string;
  /** Key of its chart in `charts`. */
  chart: string;
  group: ActorGroup;
  /** Logical parent in the tree (a link's socket). */
  parent?: string;
  status: ActorStatus;
  /** The public state name (`ready`, `reconnecting`; a watcher's `starting`…). */
  state: string;
  /** Deepest active state path (`attempt.ready.beating`). */
  leaf: string;
  /** State changes since the actor started (the page tells a bounce from a standstill). */
  changes: number;
}

/** An actor in full: the selected one, and the supervisor's. */
export interface ActorInfo extends ActorRow {
  /** Dot paths of the active states, ancestors included (`attempt`, `attempt.ready`, …). */
  active: string[];
  figures: Figures;
  /** Guards that are fixed for this actor (`isInProcess: false` on a ws link): the page hides
   * the transitions they rule out. */
  config?: Record<string, boolean>;
  startedAt: number;
}

/** An actor's XState status. */
export type ActorStatus = 'active' | 'done' | 'error' | 'stopped';

/** The change of a listed actor since the last batch: `[id, leaf, state, status, changes]`.
 * Intermediate states between two batches are not sent: `changes` says how many there were. */
export type ActorDelta = [id: string, leaf: string, state: string, status: ActorStatus, changes: number];

/** What a page sees of one actor in full: the selected actor, and always the supervisor's. */
export interface ActorDetail {
  actor: ActorInfo;
  /** New timeline records, oldest first; with `reset`, the whole kept timeline. */
  records: TransitionRecord[];
  reset?: boolean;
}

/** State changes per chart since the last batch, by `from→to` of deepest paths. */
export type Traffic = Record<string, Record<string, number>>;

/** One second of the supervisor's life (the sparklines). */
export interface Sample {
  /** Start of the second, epoch ms (server clock). */
  at: number;
  /** Links ready at the end of the second, and live links. */
  ready: number;
  peers: number;
  /** Reconnect attempts started in the second (reconnecting/suspended → attempt). */
  attempts: number;
  /** Links that left ready in the second. */
  lost: number;
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
  /** What a change of counts meant (`first link ready`, `2 of 3 ready`): the socket's edges. */
  note?: string;
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
  /** Transitions drawn once as a note instead of an edge from every state they leave:
   * `any state ─link.terminate→ closed`, `idle, connecting, … ─link.close→ closed`. */
  shared: SharedTransition[];
}

export interface SharedTransition {
  /** The states it leaves (`[]` for "any state"). */
  sources: string[];
  target: string;
  lines: EdgeLine[];
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
  /** A grace state's copies of its sibling's transitions, drawn as a badge instead of edges. */
  grace?: GraceBadge;
}

/**
 * A grace state (its chart marks it `meta: { graceFor }`, e.g. `connectGrace` for `connecting`)
 * repeats some of a sibling's transitions. Those copies are not drawn as edges: the sibling's edges
 * on the same events stand for them, and the grace state carries this badge. Its own transitions
 * (its `after ioTurn`) are drawn as edges as usual.
 */
export interface GraceBadge {
  /** Path of the sibling whose edges stand for the copies. */
  of: string;
  /** The copied transitions, one line each (their `source` is the grace state). */
  copies: EdgeLine[];
  /** The badge as laid out, one text line each: `also as connecting on`, `transport.open, link.close`. */
  text: string[];
  /** The copies in full, for the state's tooltip: `transport.open [resumes] → resuming`. */
  detail: string[];
}

/** One transition of an edge's label. `source`, `event` and `order` let the page tell which
 * transitions a given actor can never take (a guard its configuration rules out, or a branch
 * after one its configuration always takes). */
export interface EdgeLine {
  text: string;
  kind: EdgeKind;
  /** The state that declares the transition ('' for the root). */
  source: string;
  /** XState's event type ('' for `always`). */
  event: string;
  /** Position of the transition among those of its source for its event (document order). */
  order: number;
  guard?: string;
}

export type EdgeKind = 'event' | 'after' | 'always' | 'done' | 'error' | 'initial';

/** One arrow per pair of states: the transitions between them are its label's lines. */
export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  /** One line per transition: `transport.open [hasHandshake]`, `after connectTimeout`. */
  lines: EdgeLine[];
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
  /** The server has a supervisor whose session a page may record (`record`). */
  record?: boolean;
  /** The server holds a trace for the page to open (`/trace.jsonl`): `linkvisor inspect trace.jsonl`. */
  trace?: boolean;
}

/**
 * A message from the inspector's server to its page: the first `hello`, then batches of changes,
 * details of the selected actor, traces and command results.
 */
export type ServerMessage =
  | {
      type: 'hello';
      now: number;
      server: ServerInfo;
      charts: LaidOutChart[];
      /** Every actor, in natural order of ids (`l2` before `l10`). */
      actors: ActorRow[];
      /** The supervisor's actors in full (socket), with their timelines. */
      details: ActorDetail[];
      /** The last minutes of the supervisor, one sample per second, oldest first. */
      samples: Sample[];
    }
  | {
      /** Everything that changed since the last batch (at most ~10 a second; the page acks each). */
      type: 'batch';
      seq: number;
      now: number;
      added: ActorRow[];
      changed: ActorDelta[];
      removed: string[];
      traffic: Traffic;
      details: ActorDetail[];
      samples: Sample[];
      /** Batches not sent since the last one because the page was behind (their changes are in this one). */
      held: number;
    }
  | { type: 'chart'; chart: LaidOutChart }
  | { type: 'pong'; id?: number }
  /** Recording for this page started (`on`) or stopped. */
  | { type: 'recording'; on: boolean }
  /** The session trace recorded for this page (JSON Lines, redacted as recordSession redacts);
   * `reason` when the server stopped the recording itself (it reached `maxRecordingRecords`). */
  | { type: 'trace'; text: string; reason?: string }
  | { type: 'result'; ok: boolean; message: string };

/**
 * A message from the inspector page to its server: pings, acknowledgements, the selected actor,
 * commands (only with `allowEvents`), recording.
 */
export type PageMessage =
  | { type: 'ping'; id?: number }
  | { type: 'send'; actor: string; event: { type: string } }
  /** Follow this actor in full (its figures and timeline); `null` for none. */
  | { type: 'select'; actor: string | null }
  /** The page has applied batch `seq` (the server keeps only a few unacknowledged). */
  | { type: 'ack'; seq: number }
  /** Start recording a session trace for this page (`on`), or stop and send it (`trace`). The
   * server stops a page's recording when the page goes away. */
  | { type: 'record'; on: boolean };
