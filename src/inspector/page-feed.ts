/**
 * One open page's share of the inspector's updates: what changed since its last batch, coalesced,
 * and sent at most once per flush (the server flushes every `updateIntervalMs`, 100 ms: at most
 * ~10 batches a second, whatever the supervisor does).
 *
 * Coalescing: an actor that changed five times between two batches is sent once, with its latest
 * state and its count of changes; every change is still counted per `from→to` of its chart
 * (`traffic`). Records (timelines) and figures are sent only for the actors the page follows in
 * full: the one it selected and the supervisor's.
 *
 * Backpressure: a batch is sent only while the page has acknowledged all but `maxUnacked` of them
 * and the socket holds less than `maxBufferedBytes` unsent. A page that stops reading costs what
 * it costs to know the latest of each actor: a set of changed ids (at most one per actor), counts
 * per pair of states, at most `maxPendingRecords` records per followed actor (beyond that the
 * next batch sends the whole kept timeline again) and at most `maxSamples` samples. Intermediate
 * snapshots are dropped, never queued.
 */
import type { Inspector, InspectorUpdate } from './create-inspector.js';
import { rowOf } from './inspected-actor.js';
import type {
  ActorDelta,
  ActorDetail,
  ActorRow,
  Sample,
  ServerMessage,
  TransitionRecord,
} from './protocol.js';

/** Unsent bytes on a page's socket above which its batches are held, unless `maxBufferedBytes`
 * says otherwise: a few batches of 2,000 rows. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface PageFeedOptions {
  inspector: Pick<Inspector, 'get' | 'recordsOf'>;
  /** Writes one message to the page. */
  send(message: ServerMessage): void;
  /** Bytes written to the page's socket and not yet sent. */
  bufferedBytes(): number;
  /** Hides what the page may not see (payloads without `showPayloads`). */
  visible(record: TransitionRecord): TransitionRecord;
  /** Batches the page may be behind by (default 4). */
  maxUnacked?: number;
  /** Unsent bytes on the socket above which batches are held (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Records kept per followed actor between batches (default 200). */
  maxPendingRecords?: number;
  /** Samples kept between batches (default 300: five minutes). */
  maxSamples?: number;
}

/**
 * What the inspector's server holds for one open page (`server.pages()`): batches sent,
 * acknowledged and held, pending actors and records.
 */
export interface PageFeedStats {
  /** Batches sent, and the last one the page acknowledged. */
  sent: number;
  acked: number;
  /** Flushes that found the page behind (their changes went into a later batch). */
  held: number;
  /** What the feed holds for the page now. */
  pendingActors: number;
  pendingRecords: number;
  pendingSamples: number;
  trafficPairs: number;
  bufferedBytes: number;
}

interface Followed {
  records: TransitionRecord[];
  reset: boolean;
  dirty: boolean;
}

export class PageFeed {
  private readonly options: Required<
    Pick<PageFeedOptions, 'maxUnacked' | 'maxBufferedBytes' | 'maxPendingRecords' | 'maxSamples'>
  > &
    PageFeedOptions;
  /** Actors the page knows, with their chart (for traffic). */
  private readonly known = new Map<string, string>();
  private readonly added = new Set<string>();
  private readonly changed = new Set<string>();
  private readonly removed = new Set<string>();
  private traffic = new Map<string, Map<string, number>>();
  private readonly followed = new Map<string, Followed>();
  /** Actors always followed in full (the supervisor's). */
  private readonly always = new Set<string>();
  private samples: Sample[] = [];
  private selected: string | null = null;
  private seq = 0;
  private acked = 0;
  private held = 0;
  private heldSinceLast = 0;

  constructor(options: PageFeedOptions) {
    this.options = {
      maxUnacked: 4,
      maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
      maxPendingRecords: 200,
      maxSamples: 300,
      ...options,
    };
  }

  /** What the page got in its `hello`. */
  greet(rows: readonly ActorRow[], followed: readonly string[]): void {
    for (const row of rows) this.known.set(row.id, row.chart);
    for (const id of followed) {
      this.always.add(id);
      // The hello carried its whole timeline: from here on, only what is new.
      this.followed.set(id, { records: [], reset: false, dirty: false });
    }
  }

  update(update: InspectorUpdate): void {
    switch (update.type) {
      case 'actor': {
        const { id, chart, group } = update.actor;
        if (group === 'supervisor' && !this.always.has(id)) {
          this.always.add(id);
          this.follow(id);
        }
        if (!this.known.has(id)) {
          this.known.set(id, chart);
          this.removed.delete(id);
          this.added.add(id);
          if (id === this.selected) this.follow(id);
        } else if (!this.added.has(id)) this.changed.add(id);
        this.touch(id);
        break;
      }
      case 'removed':
        if (!this.known.delete(update.actor)) break;
        this.always.delete(update.actor);
        this.followed.delete(update.actor);
        this.changed.delete(update.actor);
        if (!this.added.delete(update.actor)) this.removed.add(update.actor);
        break;
      case 'record': {
        const record = update.record;
        const chart = this.known.get(record.actor);
        if (chart !== undefined && record.from !== '' && record.from !== record.to) {
          let pairs = this.traffic.get(chart);
          if (!pairs) {
            pairs = new Map();
            this.traffic.set(chart, pairs);
          }
          const pair = `${record.from}→${record.to}`;
          pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
        }
        const followed = this.followed.get(record.actor);
        if (followed && !followed.reset) {
          followed.records.push(record);
          // Too far behind: the next batch sends the kept timeline whole instead.
          if (followed.records.length > this.options.maxPendingRecords) {
            followed.records = [];
            followed.reset = true;
          }
          followed.dirty = true;
        }
        break;
      }
      case 'figures':
        this.touch(update.actor);
        break;
      case 'chart':
        break;
    }
  }

  /** Actors this page follows in full (their figures are worth refreshing). */
  following(): Iterable<string> {
    return this.followed.keys();
  }

  /** Follows `id` in full from the next batch (its whole kept timeline first). */
  select(id: string | null): void {
    if (this.selected === id) return;
    if (this.selected !== null && !this.always.has(this.selected)) this.followed.delete(this.selected);
    this.selected = id;
    if (id !== null && this.known.has(id)) this.follow(id);
  }

  ack(seq: number): void {
    if (Number.isInteger(seq) && seq > this.acked && seq <= this.seq) this.acked = seq;
  }

  sample(sample: Sample): void {
    this.samples.push(sample);
    if (this.samples.length > this.options.maxSamples) this.samples.shift();
  }

  /** Something waits to be sent. */
  get pending(): boolean {
    return (
      this.added.size > 0 ||
      this.changed.size > 0 ||
      this.removed.size > 0 ||
      this.traffic.size > 0 ||
      this.samples.length > 0 ||
      [...this.followed.values()].some((f) => f.dirty)
    );
  }

  /** The page is behind (too many batches unacknowledged, or its socket is full). */
  get behind(): boolean {
    return (
      this.seq - this.acked >= this.options.maxUnacked ||
      this.options.bufferedBytes() > this.options.maxBufferedBytes
    );
  }

  /** Sends one batch of everything pending, unless the page is behind. */
  flush(now: number): 'sent' | 'held' | 'idle' {
    if (!this.pending) return 'idle';
    if (this.behind) {
      this.held++;
      this.heldSinceLast++;
      return 'held';
    }
    const { inspector } = this.options;
    const added: ActorRow[] = [];
    for (const id of this.added) {
      const info = inspector.get(id);
      if (info) added.push(rowOf(info));
    }
    const changed: ActorDelta[] = [];
    for (const id of this.changed) {
      const info = inspector.get(id);
      if (info) changed.push([info.id, info.leaf, info.state, info.status, info.changes]);
    }
    const traffic: Record<string, Record<string, number>> = {};
    for (const [chart, pairs] of this.traffic) traffic[chart] = Object.fromEntries(pairs);
    const details: ActorDetail[] = [];
    for (const [id, followed] of this.followed) {
      if (!followed.dirty) continue;
      const actor = inspector.get(id);
      if (!actor) continue;
      const records = followed.reset ? inspector.recordsOf(id) : followed.records;
      details.push({
        actor,
        records: records.map(this.options.visible),
        ...(followed.reset ? { reset: true } : {}),
      });
      followed.records = [];
      followed.reset = false;
      followed.dirty = false;
    }
    this.seq++;
    this.options.send({
      type: 'batch',
      seq: this.seq,
      now,
      added,
      changed,
      removed: [...this.removed],
      traffic,
      details,
      samples: this.samples,
      held: this.heldSinceLast,
    });
    this.added.clear();
    this.changed.clear();
    this.removed.clear();
    this.traffic = new Map();
    this.samples = [];
    this.heldSinceLast = 0;
    return 'sent';
  }

  stats(): PageFeedStats {
    let pendingRecords = 0;
    for (const f of this.followed.values()) pendingRecords += f.records.length;
    let trafficPairs = 0;
    for (const pairs of this.traffic.values()) trafficPairs += pairs.size;
    return {
      sent: this.seq,
      acked: this.acked,
      held: this.held,
      pendingActors: this.added.size + this.changed.size + this.removed.size,
      pendingRecords,
      pendingSamples: this.samples.length,
      trafficPairs,
      bufferedBytes: this.options.bufferedBytes(),
    };
  }

  private follow(id: string): void {
    this.followed.set(id, { records: [], reset: true, dirty: true });
  }

  private touch(id: string): void {
    const followed = this.followed.get(id);
    if (followed) followed.dirty = true;
  }
}
