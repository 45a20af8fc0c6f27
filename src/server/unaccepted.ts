/**
 * What a `resumable` server undoes when answering a hello threw after its lookups (./resumable.ts,
 * `accept`: an application's socket whose `send` throws, say). A session made for the hello
 * (never emitted: `session` comes last) ends at once as a `reset`, its record deleted while it is
 * this server's claim (the server that held it before reports what it held as its copy ends:
 * nothing counted as moved here); a session live before it (a socket of its client that the
 * hello replaced) is let go as if this socket had closed (1006: away, its TTL runs); a record the
 * hello claimed that no session took is given back (./session-writes.ts, `release`). The throw
 * itself is the caller's to report.
 *
 * Owns: nothing (functions). Does not own: the sessions, the socket, or the claim.
 */
import type { WebSocket } from 'ws';
import type { HelloRequest } from '../resume/answer-hello.js';
import type { ResumableSession } from './resumable-session.js';

/** The sessions live for a hello's two ids before it is answered (`unaccepted` compares). */
export interface LiveBefore {
  ids: readonly [string, string];
  sessions: readonly (ResumableSession | undefined)[];
}

/** What is live for `hello`'s ids now. */
export function liveBefore(hello: HelloRequest, live: ReadonlyMap<string, ResumableSession>): LiveBefore {
  const ids = [hello.sessionId, hello.newId] as const;
  return { ids, sessions: ids.map((id) => live.get(id)) };
}

/** Undoes what answering the hello made for `ws` (see the file's header); `release()` gives back
 * its claim (called only when it claimed, and no session was made for the id it names). */
export function unaccepted(
  ws: WebSocket,
  before: LiveBefore,
  live: ReadonlyMap<string, ResumableSession>,
  claimed: boolean,
  release: () => void,
): void {
  let made = false;
  before.ids.forEach((id, i) => {
    const session = id === '' ? undefined : live.get(id);
    if (!session) return;
    if (session === before.sessions[i]) {
      // socketClosed() leaves it alone unless `ws` is its socket.
      session.socketClosed(ws, 1006);
      return;
    }
    if (i === 0) made = true;
    session.end('reset');
  });
  if (claimed && !made) release();
}
