/**
 * Messages sent while the link is not ready, bounded in count and bytes, with an explicit
 * overflow policy. FIFO; flushed in order once the link is ready. Payloads never enter the chart.
 * Binary is the queue's own copy, taken at send(): the one shift() hands out to be written is
 * marked so (src/transports/owned-payload.ts) until the queue is next asked, so a compressing
 * socket sends it as is rather than copy it again, and nothing handed back to the application
 * (a `dropped` event) keeps the mark.
 */
import type { OverflowPolicy, QueueOptions } from '../../machines/policy/queue.js';
import { markOwned, takeOwned } from '../transports/owned-payload.js';
import { byteLengthOf, copyPayload, type Payload } from '../transports/payload.js';
import { LinkvisorError } from '../util/errors.js';

export interface Queued {
  data: Payload;
  bytes: number;
}

export type EnqueueResult =
  | { outcome: 'queued'; dropped: Queued[] }
  | { outcome: 'dropped'; dropped: Queued[] };

/** The items of every empty queue that never held one (most links never queue): never written. */
const NO_ITEMS: Queued[] = [];

export class OutboundQueue {
  private items: Queued[] = NO_ITEMS;
  private head = 0;
  private totalBytes = 0;
  /** What shift() handed out last, marked as the queue's own copy until the queue is next asked
   * (shift, unshift: the mark is taken back, if the socket did not take it); '' for nothing. */
  private lent: Payload = '';

  constructor(private readonly options: QueueOptions) {}

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get policy(): OverflowPolicy {
    return this.options.overflow;
  }

  /**
   * Adds a message. `reject` throws (and changes nothing); `drop-newest` returns it as dropped;
   * `drop-oldest` evicts from the front until it fits. A message larger than `maxBytes` on its own
   * never fits: it is rejected or dropped whatever the policy. What is queued is a copy of binary
   * data (the application may change its buffer once send() returns); text is kept as is.
   */
  push(data: Payload): EnqueueResult {
    const bytes = byteLengthOf(data);
    const { maxMessages, maxBytes, overflow } = this.options;
    const fits = () => this.length < maxMessages && this.totalBytes + bytes <= maxBytes;
    if (fits()) {
      this.append({ data: copyPayload(data), bytes });
      return { outcome: 'queued', dropped: [] };
    }
    const neverFits = maxMessages === 0 || bytes > maxBytes;
    if (overflow === 'reject') {
      throw new LinkvisorError(
        'LV_ERR_QUEUE_FULL',
        neverFits
          ? `send(): message of ${bytes} bytes can never fit the queue (queue.maxMessages ${maxMessages}, queue.maxBytes ${maxBytes})`
          : `send(): the outbound queue is full (${this.length} messages, ${this.totalBytes} bytes; queue.maxMessages ${maxMessages}, queue.maxBytes ${maxBytes}) and queue.overflow is 'reject'`,
        { option: 'queue' },
      );
    }
    if (overflow === 'drop-newest' || neverFits) return { outcome: 'dropped', dropped: [{ data, bytes }] };
    const dropped: Queued[] = [];
    while (!fits()) {
      const oldest = this.take();
      if (!oldest) break;
      dropped.push(oldest);
    }
    this.append({ data: copyPayload(data), bytes });
    return { outcome: 'queued', dropped };
  }

  /** Puts a message back at the front (it was taken but could not be written). */
  unshift(item: Queued): void {
    takeOwned(this.lent);
    if (this.head > 0) {
      this.head--;
      this.items[this.head] = item;
    } else if (this.items === NO_ITEMS) {
      this.items = [item];
    } else {
      this.items.unshift(item);
    }
    this.totalBytes += item.bytes;
  }

  /** The oldest message, to be written: its binary is marked as the queue's own copy (no
   * application holds it) until the queue is next asked to (shift, unshift). */
  shift(): Queued | undefined {
    takeOwned(this.lent);
    const item = this.take();
    this.lent = item ? item.data : '';
    markOwned(this.lent);
    return item;
  }

  /** Empties the queue and returns what it held, oldest first. */
  takeAll(): Queued[] {
    const all = this.items.slice(this.head);
    this.items = NO_ITEMS;
    this.head = 0;
    this.totalBytes = 0;
    return all;
  }

  private take(): Queued | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as Queued;
    this.items[this.head] = undefined as unknown as Queued;
    this.head++;
    this.totalBytes -= item.bytes;
    if (this.head === this.items.length) {
      // Emptied (a flush once ready): its array goes, not kept for the link's life.
      this.items = NO_ITEMS;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private append(item: Queued): void {
    if (this.items === NO_ITEMS) this.items = [];
    this.items.push(item);
    this.totalBytes += item.bytes;
  }
}
