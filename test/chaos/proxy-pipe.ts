/**
 * One direction of one connection of the chaos proxy (proxy.ts): a `Pipe` holds the chunks, FINs
 * and RSTs that arrived in order and writes them out shaped by the proxy's faults of that direction
 * (`Shaping`): held (a blackhole), delayed (latency, a late FIN), throttled (bandwidth), sliced into
 * pieces one loop turn apart, or cut after a number of bytes.
 */
import type net from 'node:net';
import { performance } from 'node:perf_hooks';

export type Way = 'up' | 'down';
export type Ways = Way | 'both';

export interface Shaping {
  held: boolean;
  latencyMs: number;
  bytesPerSec: number;
  slice: { min: number; max: number } | null;
  finDelayMs: number;
}

/** Throttled data moves in pieces of at most this many bytes (about one TCP segment). */
const BANDWIDTH_PIECE_BYTES = 1024;

export type Item =
  | { kind: 'data'; at: number; data: Buffer }
  | { kind: 'end'; at: number }
  | { kind: 'reset'; at: number };

export function ways(w: Ways): Way[] {
  return w === 'both' ? ['up', 'down'] : [w];
}

/** One direction of one connection: a FIFO of chunks, FINs and RSTs, shaped on the way out. */
export class Pipe {
  private items: Item[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private nextFreeAt = 0;
  /** Size of the head piece, drawn once (slicing, throttling). */
  private piece: number | null = null;
  private disposed = false;
  /** Bytes written to the destination so far. */
  forwarded = 0;
  /** Forwarded-byte offset at which the connection is cut (null: never). */
  cutAt: number | null = null;

  constructor(
    private readonly dst: net.Socket,
    private readonly shaping: Shaping,
    private readonly draw: (min: number, max: number) => number,
    private readonly onCut: () => void,
  ) {}

  /** Bytes, FINs and RSTs waiting (held by a blackhole, delayed or throttled). */
  get waiting(): number {
    return this.items.length;
  }

  push(item: Item): void {
    if (this.disposed) return;
    this.items.push(item);
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.items = [];
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** Writes what is due; schedules itself (one timer or one immediate at most) for the rest. */
  pump = (): void => {
    if (this.timer || this.immediate || this.disposed) return;
    const s = this.shaping;
    for (let guard = 0; guard < 100_000 && this.items.length > 0; guard++) {
      if (s.held) return; // heal() pumps again
      if (this.dst.destroyed) {
        this.items = [];
        return;
      }
      const item = this.items[0] as Item;
      const now = performance.now();
      let due = item.at + s.latencyMs;
      if (item.kind === 'end') due += s.finDelayMs;
      let n = 0;
      if (item.kind === 'data') {
        // The size of the next piece is drawn once and kept while the piece waits.
        if (this.piece === null) {
          let size = item.data.length;
          if (s.slice) size = Math.min(size, this.draw(s.slice.min, s.slice.max));
          if (s.bytesPerSec > 0) size = Math.min(size, BANDWIDTH_PIECE_BYTES);
          this.piece = size;
        }
        n = Math.min(this.piece, item.data.length);
        // A throttled piece is delivered when its last byte has gone through the bottleneck.
        if (s.bytesPerSec > 0) due = Math.max(due, this.nextFreeAt) + (n * 1000) / s.bytesPerSec;
      }
      if (due > now + 0.5) {
        this.timer = setTimeout(
          () => {
            this.timer = null;
            this.pump();
          },
          Math.max(1, Math.ceil(due - now)),
        );
        return;
      }
      if (item.kind === 'end') {
        this.items.shift();
        this.dst.end();
        continue;
      }
      if (item.kind === 'reset') {
        this.items.shift();
        this.dst.resetAndDestroy();
        continue;
      }
      this.piece = null;
      if (s.bytesPerSec > 0) this.nextFreeAt = Math.max(due, now);
      if (this.cutAt !== null && this.forwarded + n >= this.cutAt) {
        const part = this.cutAt - this.forwarded;
        if (part > 0) this.dst.write(item.data.subarray(0, part));
        this.forwarded += part;
        this.items = [];
        this.onCut();
        return;
      }
      const piece = n < item.data.length ? item.data.subarray(0, n) : item.data;
      if (n < item.data.length) item.data = item.data.subarray(n);
      else this.items.shift();
      this.dst.write(piece);
      this.forwarded += n;
      if (s.slice) {
        // The next piece in a later loop turn, so the reader sees it in a read of its own.
        this.immediate = setImmediate(() => {
          this.immediate = null;
          this.pump();
        });
        return;
      }
    }
  };
}
