/**
 * Bookkeeping of messages across faults: what every link handed to `send()` and with what
 * outcome, and what the server received, so a scenario can tell lost from delivered twice.
 * Messages are `<link>:<seq>`, seq counting from 1 per link, optionally followed by `|<padding>`.
 */
import type { Link } from '../../src/index.js';

interface PerLink {
  next: number;
  queued: Set<number>;
  sent: Set<number>;
  dropped: Set<number>;
  received: number[];
  receivedSet: Set<number>;
  duplicates: number;
  outOfOrder: number;
}

export interface LedgerVerdict {
  handed: number;
  sent: number;
  queued: number;
  /** Queued messages reported dropped by the library (overflow or the link ended). */
  dropped: number;
  /** send() threw (queue full under `reject`, link closed). */
  refused: number;
  received: number;
  /** Queued, not reported dropped, never received. */
  lostQueued: number;
  /** Written to an open socket that then died (allowed: at most once). */
  lostSent: number;
  duplicates: number;
  outOfOrder: number;
}

function parse(data: string): { key: string; seq: number } {
  const bar = data.indexOf('|');
  const head = bar < 0 ? data : data.slice(0, bar);
  const colon = head.indexOf(':');
  return { key: head.slice(0, colon), seq: Number(head.slice(colon + 1)) };
}

export class MessageLedger {
  private readonly links = new Map<string, PerLink>();
  private refused = 0;

  private of(key: string): PerLink {
    let entry = this.links.get(key);
    if (!entry) {
      entry = {
        next: 1,
        queued: new Set(),
        sent: new Set(),
        dropped: new Set(),
        received: [],
        receivedSet: new Set(),
        duplicates: 0,
        outOfOrder: 0,
      };
      this.links.set(key, entry);
    }
    return entry;
  }

  /** Listens for the link's `dropped` events (call once per link). */
  watch(link: Link, key: string): () => void {
    const entry = this.of(key);
    return link.on('dropped', ({ data }) => {
      entry.dropped.add(parse(String(data)).seq);
    });
  }

  /** Sends the link's next message (`padding` appended after a `|`) and records the outcome. */
  send(link: Link, key: string, padding = ''): void {
    const entry = this.of(key);
    const seq = entry.next++;
    try {
      const outcome = link.send(padding ? `${key}:${seq}|${padding}` : `${key}:${seq}`);
      if (outcome === 'sent') entry.sent.add(seq);
      else if (outcome === 'queued') entry.queued.add(seq);
      else entry.dropped.add(seq);
    } catch {
      this.refused++;
    }
  }

  /** The server side: one message arrived. */
  receive(data: string): void {
    const { key, seq } = parse(data);
    const entry = this.of(key);
    if (entry.receivedSet.has(seq)) entry.duplicates++;
    const last = entry.received.at(-1);
    if (last !== undefined && seq <= last) entry.outOfOrder++;
    entry.received.push(seq);
    entry.receivedSet.add(seq);
  }

  /** Queued messages not received yet (and not reported dropped). */
  pendingQueued(): number {
    let n = 0;
    for (const entry of this.links.values()) {
      for (const seq of entry.queued) if (!entry.receivedSet.has(seq) && !entry.dropped.has(seq)) n++;
    }
    return n;
  }

  verdict(): LedgerVerdict {
    const v: LedgerVerdict = {
      handed: 0,
      sent: 0,
      queued: 0,
      dropped: 0,
      refused: this.refused,
      received: 0,
      lostQueued: 0,
      lostSent: 0,
      duplicates: 0,
      outOfOrder: 0,
    };
    for (const entry of this.links.values()) {
      v.handed += entry.next - 1;
      v.sent += entry.sent.size;
      v.queued += entry.queued.size;
      v.dropped += entry.dropped.size;
      v.received += entry.received.length;
      v.duplicates += entry.duplicates;
      v.outOfOrder += entry.outOfOrder;
      for (const seq of entry.queued)
        if (!entry.receivedSet.has(seq) && !entry.dropped.has(seq)) v.lostQueued++;
      for (const seq of entry.sent) if (!entry.receivedSet.has(seq)) v.lostSent++;
    }
    return v;
  }
}
