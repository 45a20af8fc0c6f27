/**
 * The page's state: every actor as a list row (in natural order of ids), the population of each
 * state of each chart, how often each state is entered, the actors followed in full (the
 * selected one and the supervisor's: figures and a timeline), and the supervisor's samples.
 * No DOM: the views read it when they draw.
 *
 * It is fed with `ServerMessage`s (`apply`): from the live socket today. Anything that can turn a
 * session into messages can feed it instead — `applyRecord` moves one actor along one recorded
 * transition, which is all a recorded trace needs to step the charts and the timeline.
 *
 * Memory is bounded: rows and populations by the number of actors the server keeps, each
 * timeline is a ring of TIMELINE_CAPACITY records, samples a ring of SAMPLE_CAPACITY seconds.
 */
import { naturalIndex } from '../natural-sort.js';
import type {
  ActorDelta,
  ActorDetail,
  ActorInfo,
  ActorRow,
  LaidOutChart,
  Sample,
  ServerInfo,
  ServerMessage,
  TransitionRecord,
} from '../protocol.js';
import { Ring } from './ring.js';

/** Records kept per followed actor on the page. */
export const TIMELINE_CAPACITY = 500;
/** Seconds of supervisor samples kept on the page (five minutes). */
export const SAMPLE_CAPACITY = 300;
/** Time constant of the entry rates shown on chart states, in ms. */
const RATE_TAU_MS = 5_000;

export interface Followed {
  actor: ActorInfo;
  records: Ring<TransitionRecord>;
}

/** What changed since the views last drew (each view redraws only its part). */
export interface Dirty {
  list: boolean;
  population: boolean;
  charts: boolean;
  details: boolean;
  samples: boolean;
}

/** Every ancestor path of a deepest path, itself included (`a.b.c` → `a`, `a.b`, `a.b.c`). */
export function pathsOf(leaf: string): string[] {
  if (!leaf) return [];
  const parts = leaf.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** An exponentially decayed count: roughly "entries per second over the last few seconds". */
class Rate {
  private value = 0;
  private at = 0;

  add(n: number, now: number): void {
    this.value = this.decayed(now) + n;
    this.at = now;
  }

  perSecond(now: number): number {
    return (this.decayed(now) * 1000) / RATE_TAU_MS;
  }

  private decayed(now: number): number {
    return this.value * Math.exp(-Math.max(0, now - this.at) / RATE_TAU_MS);
  }
}

export class PageStore {
  server: ServerInfo | null = null;
  readonly charts = new Map<string, LaidOutChart>();
  readonly actors = new Map<string, ActorRow>();
  /** Actor ids in natural order. */
  order: string[] = [];
  /** Per chart: state path → actors in it (ancestors counted too). */
  readonly population = new Map<string, Map<string, number>>();
  /** Per chart: actors of the chart. */
  readonly chartTotals = new Map<string, number>();
  readonly followed = new Map<string, Followed>();
  readonly samples = new Ring<Sample>(SAMPLE_CAPACITY);
  selected: string | null = null;
  /** Page clock minus server clock. */
  offset = 0;
  /** Hellos received (a restarted server sends a new one). */
  hellos = 0;
  /** Batches the server held back because this page was behind (since the hello). */
  held = 0;
  lastSeq = 0;
  readonly dirty: Dirty = { list: true, population: true, charts: true, details: true, samples: true };
  private readonly rates = new Map<string, Rate>();

  apply(message: ServerMessage): void {
    if ('now' in message) this.offset = Date.now() - message.now;
    switch (message.type) {
      case 'hello':
        this.reset();
        this.hellos++;
        this.server = message.server;
        for (const chart of message.charts) this.charts.set(chart.key, chart);
        for (const row of message.actors) this.addRow(row, false);
        this.order = message.actors.map((row) => row.id);
        for (const detail of message.details) this.detail(detail);
        for (const sample of message.samples) this.samples.push(sample);
        this.markAll();
        break;
      case 'batch':
        this.lastSeq = message.seq;
        this.held += message.held;
        for (const row of message.added) this.addRow(row, true);
        for (const delta of message.changed) this.change(delta);
        for (const id of message.removed) this.remove(id);
        for (const [chart, pairs] of Object.entries(message.traffic)) {
          for (const [pair, n] of Object.entries(pairs)) this.entered(chart, pair.split('→')[1] ?? '', n);
        }
        for (const detail of message.details) this.detail(detail);
        for (const sample of message.samples) this.samples.push(sample);
        if (message.samples.length > 0) this.dirty.samples = true;
        break;
      case 'chart':
        this.charts.set(message.chart.key, message.chart);
        this.dirty.charts = true;
        break;
      default:
        break;
    }
  }

  /**
   * Moves an actor along one transition record (`from` → `to`), as a batch would: its row, the
   * populations, the entry rates and, when it is followed, its timeline. `state` is the public
   * state name after the change (default: the record's top-level state).
   */
  applyRecord(record: TransitionRecord, state?: string): void {
    const row = this.actors.get(record.actor);
    if (row && record.from !== record.to) {
      const status = row.status;
      this.change([row.id, record.to, state ?? publicName(record.to), status, row.changes + 1]);
      this.entered(row.chart, record.to, 1);
    }
    const followed = this.followed.get(record.actor);
    if (followed) {
      followed.records.push(record);
      this.dirty.details = true;
    }
  }

  /** Entries per second into `path` of `chart`, lately. */
  rate(chart: string, path: string, now = Date.now()): number {
    return this.rates.get(`${chart}|${path}`)?.perSecond(now) ?? 0;
  }

  select(id: string | null): void {
    if (this.selected === id) return;
    const before = this.selected;
    this.selected = id;
    if (before !== null && this.actors.get(before)?.group !== 'supervisor') this.followed.delete(before);
    this.dirty.details = true;
    this.dirty.list = true;
    this.dirty.charts = true;
  }

  private reset(): void {
    this.charts.clear();
    this.actors.clear();
    this.order = [];
    this.population.clear();
    this.chartTotals.clear();
    this.followed.clear();
    this.samples.clear();
    this.rates.clear();
    this.held = 0;
    this.lastSeq = 0;
  }

  /** Everything to be drawn again (a view switched back to this store). */
  markAll(): void {
    this.dirty.list = true;
    this.dirty.population = true;
    this.dirty.charts = true;
    this.dirty.details = true;
    this.dirty.samples = true;
  }

  private count(row: ActorRow, delta: number): void {
    let counts = this.population.get(row.chart);
    if (!counts) {
      counts = new Map();
      this.population.set(row.chart, counts);
    }
    for (const path of pathsOf(row.leaf)) counts.set(path, (counts.get(path) ?? 0) + delta);
    this.dirty.population = true;
  }

  private addRow(row: ActorRow, insert: boolean): void {
    const existing = this.actors.get(row.id);
    if (existing) {
      this.count(existing, -1);
      this.chartTotals.set(existing.chart, (this.chartTotals.get(existing.chart) ?? 1) - 1);
    } else if (insert) {
      this.order.splice(naturalIndex(this.order, row.id), 0, row.id);
    }
    this.actors.set(row.id, { ...row });
    this.count(row, 1);
    this.chartTotals.set(row.chart, (this.chartTotals.get(row.chart) ?? 0) + 1);
    this.dirty.list = true;
  }

  private change([id, leaf, state, status, changes]: ActorDelta): void {
    const row = this.actors.get(id);
    if (!row) return;
    if (row.leaf !== leaf) {
      this.count(row, -1);
      row.leaf = leaf;
      this.count(row, 1);
    }
    row.state = state;
    row.status = status;
    row.changes = changes;
    this.dirty.list = true;
  }

  private remove(id: string): void {
    const row = this.actors.get(id);
    if (!row) return;
    this.count(row, -1);
    this.chartTotals.set(row.chart, (this.chartTotals.get(row.chart) ?? 1) - 1);
    this.actors.delete(id);
    const at = naturalIndex(this.order, id);
    if (this.order[at] === id) this.order.splice(at, 1);
    else this.order = this.order.filter((other) => other !== id);
    this.followed.delete(id);
    if (this.selected === id) this.selected = null;
    this.dirty.list = true;
    this.dirty.details = true;
  }

  private entered(chart: string, leaf: string, n: number): void {
    const now = Date.now();
    for (const path of pathsOf(leaf)) {
      const key = `${chart}|${path}`;
      let rate = this.rates.get(key);
      if (!rate) {
        rate = new Rate();
        this.rates.set(key, rate);
      }
      rate.add(n, now);
    }
    this.dirty.population = true;
  }

  private detail({ actor, records, reset }: ActorDetail): void {
    if (actor.id !== this.selected && actor.group !== 'supervisor') return;
    let followed = this.followed.get(actor.id);
    if (!followed) {
      followed = { actor, records: new Ring(TIMELINE_CAPACITY) };
      this.followed.set(actor.id, followed);
    }
    followed.actor = actor;
    if (reset) followed.records.clear();
    for (const record of records) followed.records.push(record);
    const row = this.actors.get(actor.id);
    if (row) this.change([actor.id, actor.leaf, actor.state, actor.status, actor.changes]);
    this.dirty.details = true;
    this.dirty.charts = true;
    if (actor.group === 'supervisor') this.dirty.samples = true;
  }
}

/** A state's public name from its deepest path when nothing better is known (`attempt.ready.beating` → `ready`). */
export function publicName(leaf: string): string {
  const [top, next] = leaf.split('.');
  return top === 'attempt' && next ? next : (top ?? '');
}
