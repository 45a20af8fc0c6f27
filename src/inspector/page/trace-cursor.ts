/**
 * A saved session trace as the page steps through it: the state of every actor at step n, as the
 * `hello` message a server would send for it (rows, the selected actor and the supervisor in full
 * with their timelines up to that step), so the store and the views draw a trace exactly as they
 * draw a live supervisor.
 *
 * The supervisor strip is rebuilt from the links' states: ready and live links at each step, the
 * socket's first-up / last-down edges (worded as the live inspector's in ../actor-figures.ts, which
 * the page does not import: it would bring the watcher chart along) and one sample
 * per second of the trace for the sparklines.
 *
 * Stepping is cheap in both directions: the cursor keeps a copy of every actor's state each
 * CHECKPOINT_STEPS steps, so going back replays at most that many records. Memory: the records,
 * plus (records / CHECKPOINT_STEPS) × actors states.
 */
import type { Trace, TraceEventRecord, TraceRecord, TraceStateValue } from '../../trace/trace-format.js';
import type { TraceActorState } from '../../trace/trace-steps.js';
import { statePaths } from '../../trace/trace-steps.js';
import { naturalCompare } from '../natural-sort.js';
import type {
  ActorDetail,
  ActorGroup,
  ActorInfo,
  ActorRow,
  LaidOutChart,
  Sample,
  ServerMessage,
  TransitionRecord,
} from '../protocol.js';
import { publicName, SAMPLE_CAPACITY, TIMELINE_CAPACITY } from './store.js';

export const CHECKPOINT_STEPS = 256;

const GROUPS: Record<string, ActorGroup> = { socket: 'supervisor', connection: 'links', watcher: 'watchers' };

/** Deepest state path of a value (`{ attempt: { ready: 'beating' } }` → `attempt.ready.beating`). */
const leafOf = (value: TraceStateValue): string => statePaths(value).at(-1) ?? '';

/** The timeline's name for a recorded event: a timer by its delay, anything else by its type. */
function eventLabel(record: TraceEventRecord): string {
  return record.source.kind === 'timer' ? `after ${record.source.delay}` : record.event.type;
}

function reasonOf(record: TraceEventRecord): string | undefined {
  // A transport's report carries `reason: { code, message }` (redacted when recorded).
  const reason = record.event.reason;
  if (typeof reason === 'string') return reason || undefined;
  if (!reason || typeof reason !== 'object' || Array.isArray(reason)) return undefined;
  const { message, code } = reason;
  const text = typeof message === 'string' ? message : '';
  const coded = typeof code === 'number' || typeof code === 'string' ? `code ${code}` : '';
  return text || coded || undefined;
}

const isReady = (leaf: string) => leaf.startsWith('attempt.ready');
/** A link starts an attempt: it leaves reconnecting or suspended for `attempt` (as the live sampler counts). */
const isAttempt = (from: string, to: string) =>
  /^(reconnecting|suspended)/.test(from) && to.startsWith('attempt');

/** One second of the trace: its steps `first`..`last` (none when last < first). */
interface Second {
  at: number;
  first: number;
  last: number;
}

export class TraceCursor {
  readonly trace: Trace;
  /** Every actor of the trace, in natural order. */
  readonly ids: string[];
  /** When the recording started, epoch ms. */
  readonly startedAt: number;
  private readonly byActor = new Map<string, number[]>();
  private readonly checkpoints: Map<string, TraceActorState>[] = [new Map()];
  private actors = new Map<string, TraceActorState>();
  /** The last record applied to `actors` (-1: none). */
  private at = -1;
  /** After each step: links ready, live links, and attempts and losses so far. */
  private readonly ready: Int32Array;
  private readonly peers: Int32Array;
  private readonly attempts: Int32Array;
  private readonly lost: Int32Array;
  /** The socket's up/down edges, by the step that caused them. */
  private readonly edges: { step: number; event: string; note: string }[] = [];
  private readonly seconds: Second[] = [];

  constructor(trace: Trace) {
    this.trace = trace;
    this.startedAt = Date.parse(trace.header.startedAt) || 0;
    const n = trace.records.length;
    this.ready = new Int32Array(n);
    this.peers = new Int32Array(n);
    this.attempts = new Int32Array(n);
    this.lost = new Int32Array(n);
    const counts = { ready: 0, peers: 0, attempts: 0, lost: 0 };
    for (const [i, record] of trace.records.entries()) {
      const steps = this.byActor.get(record.actor);
      if (steps) steps.push(i);
      else this.byActor.set(record.actor, [i]);
      const before = this.actors.get(record.actor);
      this.apply(record);
      if (record.machine === 'connection') this.count(i, before, counts);
      this.ready[i] = counts.ready;
      this.peers[i] = counts.peers;
      this.attempts[i] = counts.attempts;
      this.lost[i] = counts.lost;
      this.second(i, record.atMs);
      if ((i + 1) % CHECKPOINT_STEPS === 0) this.checkpoints.push(new Map(this.actors));
    }
    this.ids = [...this.byActor.keys()].sort(naturalCompare);
    this.actors = new Map();
  }

  get length(): number {
    return this.trace.records.length;
  }

  /** Every actor's state after step `n` (each record is one step). */
  stateAt(n: number): ReadonlyMap<string, TraceActorState> {
    const target = Math.max(-1, Math.min(this.length - 1, n));
    if (target < this.at || target - this.at > CHECKPOINT_STEPS) {
      const k = Math.floor((target + 1) / CHECKPOINT_STEPS);
      this.actors = new Map(this.checkpoints[k]);
      this.at = k * CHECKPOINT_STEPS - 1;
    }
    while (this.at < target) this.apply(this.trace.records[++this.at] as TraceRecord);
    return this.actors;
  }

  /** The actor that moved at step n. */
  actorAt(n: number): string | null {
    return this.trace.records[n]?.actor ?? null;
  }

  /** The page's view of step n: every actor there by then, the selected actor and the
   * supervisor's in full, with their timelines up to step n. */
  helloAt(n: number, selected: string | null, charts: LaidOutChart[]): ServerMessage & { type: 'hello' } {
    const actors = this.stateAt(n);
    const rows: ActorRow[] = [];
    for (const id of this.ids) {
      const state = actors.get(id);
      if (state) rows.push(this.row(id, state, n));
    }
    const details: ActorDetail[] = rows
      .filter((row) => row.id === selected || row.group === 'supervisor')
      .map((row) => ({ actor: this.info(row, n), records: this.timeline(row.id, n), reset: true }));
    return {
      type: 'hello',
      now: Date.now(),
      server: {
        version: this.trace.header.linkvisor,
        allowEvents: false,
        showPayloads: false,
        commands: {},
        lateAttach: false,
      },
      charts,
      actors: rows,
      details,
      samples: this.samplesAt(n),
    };
  }

  /** Counts a link's step: ready and live links, attempts, losses, and the socket's edges. */
  private count(
    i: number,
    before: TraceActorState | undefined,
    counts: { ready: number; peers: number; attempts: number; lost: number },
  ): void {
    const after = this.actors.get((this.trace.records[i] as TraceRecord).actor) as TraceActorState;
    const was = before ? leafOf(before.value) : '';
    const is = leafOf(after.value);
    const wasReady = counts.ready;
    counts.peers += Number(after.status === 'active') - Number(before?.status === 'active');
    counts.ready += Number(isReady(is)) - Number(isReady(was));
    if (isAttempt(was, is)) counts.attempts++;
    if (isReady(was) && !isReady(is)) counts.lost++;
    const of = `${counts.ready} of ${counts.peers} ready`;
    if (wasReady === 0 && counts.ready > 0)
      this.edges.push({ step: i, event: 'socket.up', note: `first link ready (${of})` });
    if (wasReady > 0 && counts.ready === 0)
      this.edges.push({ step: i, event: 'socket.down', note: `last link down (${of})` });
  }

  /** Files step i under its second of the trace (seconds with no step in between are kept, up to
   * the sparklines' width). */
  private second(i: number, atMs: number): void {
    const at = this.startedAt + Math.floor(atMs / 1000) * 1000;
    let last = this.seconds.at(-1);
    if (last && last.at === at) {
      last.last = i;
      return;
    }
    const gap = last ? Math.min(SAMPLE_CAPACITY, (at - last.at) / 1000 - 1) : 0;
    for (let k = gap; k >= 1; k--) this.seconds.push({ at: at - k * 1000, first: i, last: i - 1 });
    last = { at, first: i, last: i };
    this.seconds.push(last);
  }

  /** One sample per second of the trace up to step n (the second of step n counts up to it). */
  private samplesAt(n: number): Sample[] {
    const out: Sample[] = [];
    for (const second of this.seconds) {
      if (second.first > n) break;
      const end = Math.min(n, second.last);
      const start = second.first - 1;
      const at = (a: Int32Array, k: number) => (k >= 0 ? (a[k] as number) : 0);
      const endAt = Math.max(end, start);
      out.push({
        at: second.at,
        ready: at(this.ready, endAt),
        peers: at(this.peers, endAt),
        attempts: at(this.attempts, end) - at(this.attempts, start),
        lost: at(this.lost, end) - at(this.lost, start),
      });
    }
    return out.slice(-SAMPLE_CAPACITY);
  }

  private apply(record: TraceRecord): void {
    this.actors.set(record.actor, {
      machine: record.machine,
      value: record.kind === 'actor' ? record.value : record.to,
      status: record.kind === 'event' ? (record.status ?? 'active') : 'active',
    });
  }

  /** Indexes of the actor's records up to step n. */
  private stepsOf(id: string, n: number): number[] {
    const steps = this.byActor.get(id) ?? [];
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((steps[mid] as number) <= n) lo = mid + 1;
      else hi = mid;
    }
    return steps.slice(0, lo);
  }

  private row(id: string, state: TraceActorState, n: number): ActorRow {
    const leaf = leafOf(state.value);
    return {
      id,
      machine: state.machine,
      chart: state.machine,
      group: GROUPS[state.machine] ?? 'actors',
      status: state.status,
      state: publicName(leaf),
      leaf,
      changes: this.stepsOf(id, n).length - 1,
    };
  }

  private info(row: ActorRow, n: number): ActorInfo {
    const first = this.trace.records[this.byActor.get(row.id)?.[0] ?? -1];
    const link = first?.kind === 'actor' ? first.link : undefined;
    return {
      ...row,
      active: statePaths(this.actors.get(row.id)?.value ?? ''),
      figures: link
        ? { url: link.url }
        : row.group === 'supervisor'
          ? { ready: this.ready[n] ?? 0, peers: this.peers[n] ?? 0 }
          : {},
      startedAt: this.startedAt + (first?.atMs ?? 0),
    };
  }

  private timeline(id: string, n: number): TransitionRecord[] {
    const records = this.stepsOf(id, n)
      .slice(-TIMELINE_CAPACITY)
      .map((i): TransitionRecord => {
        const record = this.trace.records[i] as TraceRecord;
        const at = this.startedAt + record.atMs;
        if (record.kind === 'actor') {
          return {
            seq: i + 1,
            actor: id,
            at,
            event: record.existing ? 'existing' : 'start',
            from: '',
            to: leafOf(record.value),
          };
        }
        const reason = reasonOf(record);
        return {
          seq: i + 1,
          actor: id,
          at,
          event: eventLabel(record),
          from: leafOf(record.from),
          to: leafOf(record.to),
          ...(reason ? { reason } : {}),
        };
      });
    if (this.actors.get(id)?.machine !== 'socket') return records;
    // The socket's edges, where the live inspector puts them: after the step that caused them.
    const leaf = leafOf(this.actors.get(id)?.value ?? '');
    for (const edge of this.edges) {
      if (edge.step > n) break;
      const at = this.startedAt + (this.trace.records[edge.step]?.atMs ?? 0);
      records.push({
        seq: edge.step + 1.5,
        actor: id,
        at,
        event: edge.event,
        from: leaf,
        to: leaf,
        note: edge.note,
      });
    }
    return records.sort((a, b) => a.seq - b.seq).slice(-TIMELINE_CAPACITY);
  }
}
