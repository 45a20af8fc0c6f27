/**
 * The caps on a `resumable` server's sessions (`maxAwaySessions`, `maxSessions`,
 * machines/policy/resume.ts): which sessions are away and in what order (the one away the longest
 * first), how many were evicted or refused; when one more session leaves than `maxAwaySessions`
 * allows, the session away the longest is evicted (its chart takes `session.evict` only in
 * `away`: machines/session.machine.ts); for a session about to start on a server holding
 * `maxSessions`, the same eviction, and if every session is attached, the new one is refused.
 *
 * Owns: the away order and the two counters. Does not own: the sessions (the server's), their
 * end (the session chart's `evicted` state ends the session, which tells the server through
 * `SessionHost.ended`), the refused socket (the server closes it with `SESSIONS_FULL_CLOSE_CODE`).
 * Every operation is O(1) but `wentAway` and `makeRoom`, which are O(evicted); `forget` of an unknown session and
 * `clear` are idempotent.
 */
import type { ResumableSession } from './resumable-session.js';

/** A server's sessions by state and what its cap did: `server.status()` (no session id). */
export interface ResumableStatus {
  /** Live sessions: attached, or waiting for their client. */
  sessions: number;
  /** Of them, whose client is attached. */
  attached: number;
  /** Of them, waiting for their client (for `sessionTtlMs`, or until evicted). */
  away: number;
  /** The cap on live sessions (`Infinity`, the default: none). */
  maxSessions: number;
  /** The cap on away sessions (`Infinity`: none). */
  maxAwaySessions: number;
  /** Sessions ended since the server started to keep within a cap (`evicted` events). */
  evicted: number;
  /** New sessions refused since the server started because every session was attached
   * (`refused` events; the socket closed with 1013). */
  refused: number;
  /** Sockets closed with 1002 since the server started before they had a session: their first
   * frame was not a hello this server reads, or a frame came before the welcome (`error` events,
   * LV_ERR_RESUME). */
  brokenHandshakes: number;
  /** Sockets closed with 1013 since the server started because no session came within
   * `helloTimeoutMs`: no hello, or a hello whose store lookup did not answer in time. */
  helloTimeouts: number;
  /** What every live session keeps for replay (sent, not acknowledged): at most
   * `maxSessions` × `maxBytes`. */
  buffered: { messages: number; bytes: number };
}

/** The away order and counters of a server's `maxSessions` cap (see the file header). */
export class SessionCap {
  /** Away sessions in the order they left: the first is the one away the longest (the least
   * recently used, and the nearest to its TTL). A return removes it, a new departure appends. */
  private readonly away = new Map<string, ResumableSession>();
  /** Sessions evicted so far. */
  evicted = 0;
  /** New sessions refused so far. */
  refused = 0;

  constructor(
    /** The most sessions the server holds at once (`Infinity`: no cap). */
    readonly maxSessions: number,
    /** The most sessions waiting for their client at once (`Infinity`: no cap). */
    readonly maxAwaySessions: number,
  ) {}

  /** Sessions whose client is away now. */
  get awayCount(): number {
    return this.away.size;
  }

  /** The session's client went away: it is now the most recently away. One more away than
   * `maxAwaySessions`: the sessions away the longest are evicted; returns them. */
  wentAway(session: ResumableSession): ResumableSession[] {
    this.away.delete(session.id);
    this.away.set(session.id, session);
    const evicted: ResumableSession[] = [];
    while (this.away.size > this.maxAwaySessions && this.evictOldest(evicted));
    return evicted;
  }

  /** The session's client is attached (back, or its first socket), or the session ended. */
  forget(session: ResumableSession): void {
    if (this.away.get(session.id) === session) this.away.delete(session.id);
  }

  /**
   * Room for one more session among `live()` live ones: evicts away sessions, the one away the
   * longest first, until there is; returns them (each has ended with `evicted`). `room` is false
   * when every session is attached: the new one is refused (counted here).
   */
  makeRoom(live: () => number): { room: boolean; evicted: ResumableSession[] } {
    const evicted: ResumableSession[] = [];
    while (live() >= this.maxSessions) {
      if (!this.evictOldest(evicted)) {
        this.refused++;
        return { room: false, evicted };
      }
    }
    return { room: true, evicted };
  }

  /** Evicts the session away the longest, adding it to `evicted` if it ended; false if none is
   * away. */
  private evictOldest(evicted: ResumableSession[]): boolean {
    const oldest = this.away.values().next();
    if (oldest.done) return false;
    const session = oldest.value;
    // The session's end forgets it; deleted here too so that a session that did not end (its
    // chart not away: cannot happen while the server keeps this order) cannot loop forever.
    this.away.delete(session.id);
    session.evict();
    if (session.ended) {
      this.evicted++;
      evicted.push(session);
    }
    return true;
  }

  /** The server's status, given its live sessions (O(live sessions): their buffers are summed). */
  status(live: Iterable<ResumableSession>): Omit<ResumableStatus, 'brokenHandshakes' | 'helloTimeouts'> {
    const buffered = { messages: 0, bytes: 0 };
    let sessions = 0;
    for (const session of live) {
      const held = session.status().buffered;
      buffered.messages += held.messages;
      buffered.bytes += held.bytes;
      sessions++;
    }
    return {
      sessions,
      attached: sessions - this.away.size,
      away: this.away.size,
      maxSessions: this.maxSessions,
      maxAwaySessions: this.maxAwaySessions,
      evicted: this.evicted,
      refused: this.refused,
      buffered,
    };
  }

  /** The server is closing: the order is forgotten (the counters stay for its last status). */
  clear(): void {
    this.away.clear();
  }
}
