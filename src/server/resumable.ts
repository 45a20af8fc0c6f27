/**
 * `resumable(wss, options)`: the server side of the resume protocol (docs/resume-protocol.md) over a
 * `ws` WebSocketServer. Each client connection starts with the client's `hello`; the server answers it
 * (src/resume/answer-hello.ts) from its live sessions or its store, and emits a `session` for every
 * session it starts or restores from the store. A session survives its client's reconnects; the
 * application writes against the session, not the socket.
 *
 * Owns: its sessions, the sockets it attached to them, their session charts (whose delayed transitions
 * are the ack and TTL timers: machines/session.machine.ts), the greeting chart of each socket still
 * without a session (its hello timeout: machines/greeting.machine.ts) and, unless one is given, its
 * in-memory store, the cap on its sessions (`maxSessions`: ./session-cap.ts) and the order of its
 * store calls (each session's in the order made: ./store-call-queue.ts), what it writes there (the
 * ends the store failed to record, a shared store's records compared first: ./session-writes.ts),
 * the hellos' lookups still pending (./session-lookup.ts), and its ONE farewell
 * chart, for every socket it closes (a peer that does not answer in time is terminated: ./close-socket.ts). Its events and what it returns: ./resumable-types.ts. Does not own:
 * the WebSocketServer (the application closes it) or a store it was given. `close()` releases all it
 * owns and is idempotent.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { type Actor, createActor } from 'xstate';
import { greetingMachine } from '../../machines/greeting.machine.js';
import { SESSIONS_FULL_CLOSE_CODE } from '../../machines/policy/resume.js';
import { answerHello, type HelloRequest, type Known, readHello } from '../resume/answer-hello.js';
import type { AppData } from '../resume/frames.js';
import { ResumeStream } from '../resume/resume-stream.js';
import { Emitter } from '../util/emitter.js';
import { LinkvisorError } from '../util/errors.js';
import { safeInspect } from '../util/safe-inspect.js';
import { brokenHandshakeError } from './broken-handshake.js';
import { lookUpClaimed } from './claimed-lookup.js';
import { Farewells } from './close-socket.js';
import { checkWss, markServed, type ResumableOptions, readResumableOptions } from './resumable-options.js';
import { ResumableSession, type SessionEndReason, type SessionHost } from './resumable-session.js';
import { RESUMABLE_EVENTS, type ResumableEvents, type ResumableServer } from './resumable-types.js';
import { serverClock } from './server-clock.js';
import { SessionCap } from './session-cap.js';
import { SessionLookup } from './session-lookup.js';
import { memoryStore, type SessionStore } from './session-store.js';
import { SessionWrites } from './session-writes.js';
import { StoreCallQueue } from './store-call-queue.js';
import { redactedError } from './store-error.js';
import { storeOwner } from './store-owner.js';
import { toBytes } from './to-bytes.js';
import { liveBefore, unaccepted } from './unaccepted.js';
import { WriteVersions } from './write-versions.js';

export type { ResumableEvents, ResumableServer } from './resumable-types.js';

/**
 * Serves resumable sessions (docs/resume.md) on a `ws` WebSocketServer: every connection must
 * start with the client's resume hello; a session survives its client's reconnects. Throws
 * LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION for bad options.
 */
export function resumable(wss: WebSocketServer, options: ResumableOptions = {}): ResumableServer {
  checkWss(wss);
  const config = readResumableOptions(options);
  const { limits, acks, sessionTtlMs, helloTimeoutMs } = config;

  const emitter = new Emitter<ResumableEvents>(RESUMABLE_EVENTS, (error, event) => {
    if (event !== 'error') {
      emitter.emit(
        'error',
        new LinkvisorError('LV_ERR_LISTENER', `a '${String(event)}' listener threw`, { cause: error }),
      );
    }
  });
  /** The charts' clock: a timer call of the application's clock that throws is reported, never
   * an actor in `error` (./server-clock.ts). */
  const clock = serverClock(config.clock, (error) => emitter.emit('error', error));
  /** The given store, or its own in memory (its records' deadlines on that clock too). */
  const store: SessionStore = config.store ?? memoryStore({ clock });
  /** This server's mark on its records: its sessions' ends delete only its own (./store-owner.ts). */
  const records = storeOwner(store);
  const live = new Map<string, ResumableSession>();
  /** Streams of sessions that ended: a hello whose lookup found one before its session ended
   * (expired or evicted while the store answered the hello's other id) must not bring it back. */
  const endedStreams = new WeakSet<ResumeStream>();
  const cap = new SessionCap(config.maxSessions, config.maxAwaySessions);
  /** Sockets still in their handshake (no session yet), each with its greeting chart (its
   * helloTimeout: machines/greeting.machine.ts). */
  const pending = new Map<WebSocket, Actor<typeof greetingMachine>>();
  /** The socket's wait is over (a session, gone, or the server closing): its chart stops. */
  const settle = (ws: WebSocket) => {
    const greeting = pending.get(ws);
    if (!greeting) return;
    pending.delete(ws);
    greeting.send({ type: 'greeting.settled' });
    greeting.stop();
  };
  let closing: Promise<void> | null = null;

  /** A store call about session `id` failed: reported with every session id redacted (the
   * store's own message may quote its key: ./store-error.ts). */
  const reportStoreError = (what: string, id: string, error: unknown) =>
    emitter.emit('error', redactedError(`the session store failed to ${what}`, error, [id]));
  /** Each session's store calls, in the order they are made (./store-call-queue.ts). */
  const storeCalls = new StoreCallQueue(reportStoreError);

  /** Each session's write counter (./write-versions.ts), and what the server writes about its
   * sessions, compared with the record when the store is shared (./session-writes.ts). */
  const versions = new WriteVersions();
  const writes = new SessionWrites(
    store,
    storeCalls,
    records,
    sessionTtlMs,
    clock,
    reportStoreError,
    versions,
  );

  const host: SessionHost = {
    clock,
    sessionTtlMs,
    inspect: safeInspect(config.inspect, (error) => emitter.emit('error', error)),
    closeSocket: (ws, code, reason) => farewells.close(ws, code, reason),
    away(session) {
      const evicted = cap.wentAway(session);
      // Kept unless it was evicted itself (maxAwaySessions 0): its end deleted its record.
      if (!session.ended) writes.put(session);
      for (const gone of evicted) emitter.emit('evicted', gone);
    },
    beforeAck(session) {
      if (!store.durable) return;
      return writes.put(session);
    },
    ended(session, reason: SessionEndReason) {
      const { id } = session;
      if (live.get(id) === session) live.delete(id);
      endedStreams.add(session.stream);
      cap.forget(session);
      return writes.ended(session, reason);
    },
    receivedUpTo: (session) => writes.receivedUpTo(session),
  };
  const farewells = new Farewells(host.inspect);

  /** Hellos' lookups of a session id (./session-lookup.ts): close() waits for them too. */
  const lookups = new SessionLookup(
    live,
    store,
    storeCalls,
    limits,
    acks,
    reportStoreError,
    (error) => emitter.emit('error', error),
    versions,
    writes,
  );
  const lookup = (sessionId: string): Promise<Known> =>
    lookups.find(sessionId).then((known) => writes.answer(sessionId, known));

  /** close() was called by a listener while a hello was answered: no session may be made after
   * it ended them all (it would outlive close(), socket, chart and timers); the socket closes. */
  const closedMeanwhile = (ws: WebSocket): boolean => {
    if (!closing) return false;
    farewells.close(ws, 1001, 'server closing');
    return true;
  };

  /** The session the socket now carries, or null when the server is full of attached sessions
   * (the socket is refused) or closing. */
  const accept = (
    ws: WebSocket,
    request: IncomingMessage,
    hello: HelloRequest,
    named: Known,
    started: Known,
  ): ResumableSession | null => {
    // What the server has of `id` now: a session made live since the lookup (another socket's
    // hello for the same id, answered first) is the one to resume, never the store's older copy
    // of it; a stream that ended since is gone.
    const current = (id: string, known: Known): Known => {
      const session = id === '' ? undefined : live.get(id);
      if (session) return session.stream;
      return known instanceof ResumeStream && endedStreams.has(known) ? undefined : known;
    };
    named = current(hello.sessionId, named);
    started = current(hello.newId, started);
    const answer = answerHello(
      hello,
      (id) => (id === hello.sessionId ? named : id === hello.newId ? started : undefined),
      limits,
      acks,
      // A session already started for `newId` (its welcome lost): the reason it was started with.
      live.get(hello.newId)?.resetReason,
    );
    let previous = hello.sessionId === '' ? undefined : live.get(hello.sessionId);
    if (answer.outcome === 'reset' && !previous && named instanceof ResumeStream) {
      // Back from the store but not resumable: shown as the session it was, which ends at once
      // (its unacknowledged messages reported `dropped`, its record deleted), as a live one would.
      previous = new ResumableSession(hello.sessionId, 'resumed', null, named, host);
      writes.madeFromStore(previous);
      emitter.emit('session', previous);
    }
    if (answer.outcome === 'reset' && previous) previous.end('reset');
    if (answer.reason === 'overflow')
      storeCalls.run('delete', hello.sessionId, () => store.delete(hello.sessionId));
    // A listener above (a `close` of the session the reset ended) may have closed the server.
    if (closedMeanwhile(ws)) return null;
    let session = live.get(answer.sessionId);
    const created = !session;
    if (!session) {
      const made = cap.makeRoom(() => live.size);
      for (const evicted of made.evicted) emitter.emit('evicted', evicted);
      if (closedMeanwhile(ws)) return null;
      if (!made.room) {
        farewells.close(
          ws,
          SESSIONS_FULL_CLOSE_CODE,
          `linkvisor resume: server full (maxSessions ${cap.maxSessions}, all attached)`,
        );
        emitter.emit('refused', { maxSessions: cap.maxSessions, request });
        return null;
      }
      session = new ResumableSession(answer.sessionId, answer.outcome, answer.reason, answer.stream, host);
      live.set(answer.sessionId, session);
      // Resumed from the store: written now with this server's mark, so that the server that held
      // it before (sharing the store) deletes its record no more as it expires its own copy;
      // unless the hello claimed it (./claimed-lookup.ts).
      if (answer.outcome === 'resumed' && !writes.wasClaimed(answer.stream))
        writes.put(session, session.stream.state(), true);
    }
    session.attach(ws, answer.welcome, answer.replay);
    cap.forget(session);
    if (created) emitter.emit('session', session);
    if (answer.outcome === 'resumed') session.announceResumed(answer.replay.length);
    return session;
  };

  /** Sockets closed with 1002 before they had a session (`status().brokenHandshakes`). */
  let brokenHandshakes = 0;
  /** Sockets closed with 1013 because no session came within helloTimeoutMs (`status().helloTimeouts`). */
  let helloTimeouts = 0;
  /** A socket without a session broke the protocol: closed with 1002 and why, counted, and
   * reported as an `error` (LV_ERR_RESUME). `why` names the kind of frame, never its content: a
   * hello carries session ids, which are bearer secrets. */
  const brokenHandshake = (ws: WebSocket, why: string) => {
    brokenHandshakes++;
    farewells.close(ws, 1002, `linkvisor resume: ${why}`.slice(0, 123));
    emitter.emit('error', brokenHandshakeError(why));
  };

  const onConnection = (ws: WebSocket, request: IncomingMessage) => {
    if (closing) {
      farewells.close(ws, 1001, 'server closing');
      return;
    }
    let session: ResumableSession | null = null;
    let phase: 'hello' | 'lookup' | 'attached' | 'gone' = 'hello';
    /** The code the socket closed with, once it has. */
    let closedWith: number | undefined;
    const greeting = createActor(greetingMachine, {
      clock,
      input: { helloTimeoutMs },
      ...(host.inspect ? { inspect: host.inspect } : {}),
    });
    // Observers run after the chart's step: the socket closes outside it.
    greeting.subscribe((snapshot) => {
      if (snapshot.value !== 'timedOut') return;
      pending.delete(ws);
      greeting.stop();
      phase = 'gone';
      helloTimeouts++;
      farewells.close(ws, 1013, `linkvisor resume: no session within ${helloTimeoutMs} ms`);
    });
    pending.set(ws, greeting);
    greeting.start();
    ws.on('error', () => {});
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const frame: AppData = isBinary ? toBytes(data) : String(data);
      if (phase === 'attached') {
        session?.receive(ws, frame);
        return;
      }
      // A hello crossing close()'s 1001: no lookup (a store call after close() resolved, on a
      // store the application may have closed). A frame crossing this socket's own close (1002,
      // its hello timeout's 1013) was on its way: the socket is counted once, not again.
      if (closing || phase === 'gone') return;
      if (phase !== 'hello') {
        // Nothing may come between the hello and the welcome.
        phase = 'gone';
        brokenHandshake(ws, 'a frame before the welcome');
        return;
      }
      const hello = readHello(frame);
      if ('message' in hello) {
        phase = 'gone';
        brokenHandshake(ws, hello.message);
        return;
      }
      phase = 'lookup';
      const ending = () => closing !== null;
      lookUpClaimed(hello, lookup, writes, () => phase === 'lookup' && !ending(), ending)
        .then((found) => {
          // A claim landing as close() began was given back (./session-writes.ts, `claim`).
          if (closing) return;
          if (found === 'busy') {
            if (phase !== 'lookup') return;
            settle(ws);
            phase = 'gone';
            farewells.close(ws, SESSIONS_FULL_CLOSE_CODE, 'linkvisor resume: session busy, try again');
            return;
          }
          // A record claimed for a socket gone since is this server's: a session holds it (away).
          const gone = phase !== 'lookup';
          if (gone && !found.claimed) return;
          settle(ws);
          const release = () => writes.release(hello.sessionId, found.named);
          const before = liveBefore(hello, live);
          try {
            session = accept(ws, request, hello, found.named, found.started);
          } catch (error) {
            // Reported below; what it made for this socket undone (./unaccepted.ts).
            unaccepted(ws, before, live, found.claimed, release);
            throw error;
          }
          // No session holds what the hello claimed (the server full, or closed by a listener).
          if (!session && found.claimed) release();
          if (gone) session?.socketClosed(ws, closedWith ?? 1006);
          phase = session && !gone ? 'attached' : 'gone';
        })
        .catch((error: unknown) => {
          // Never an unhandled rejection (it would end the process): reported, the socket ends.
          emitter.emit(
            'error',
            redactedError('answering a resume hello failed', error, [hello.sessionId, hello.newId]),
          );
          ws.terminate();
        });
    });
    ws.on('close', (code: number) => {
      closedWith = code;
      settle(ws);
      phase = 'gone';
      session?.socketClosed(ws, code);
    });
  };
  wss.on('connection', onConnection);
  markServed(wss, true);

  return {
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    get size() {
      return live.size;
    },
    status: () => ({ ...cap.status(live.values()), brokenHandshakes, helloTimeouts }),
    close() {
      closing ??= (async () => {
        wss.off('connection', onConnection);
        markServed(wss, false);
        for (const ws of [...pending.keys()]) {
          settle(ws);
          farewells.close(ws, 1001, 'server closing');
        }
        const sessions = [...live.values()];
        live.clear();
        cap.clear();
        if (store.durable) {
          // Stop every session first (no frame in or out after this), then write what it was. A
          // message that arrived while its write was pending would be delivered but not stored,
          // and delivered again when its client replays it to the restarted server.
          const states = sessions.map((session) => ({ session, stream: session.stream.state() }));
          for (const session of sessions) session.leave();
          // Each ends once its write has settled: a failed one reports what it lost (`dropped`).
          // With a shared store, one whose client resumed it on another server since is not
          // written over that server's newer record: it ends `moved` (docs/resume.md).
          await Promise.all(
            states.map(({ session, stream }) =>
              writes.closing(session, stream).then(
                (moved) => session.left(false, moved),
                () => session.left(true),
              ),
            ),
          );
        } else {
          for (const session of sessions) session.end('server-closed');
        }
        // Every store call made (a session's delete as it ended, a put as its client left) has
        // settled, its failure reported, before close() resolves and the store may be closed.
        await lookups.idle();
        await storeCalls.idle();
        if (!config.store) store.close?.();
        // Every socket it closed has answered or been terminated (≤ SERVER_CLOSE_TIMEOUT_MS): no
        // farewell timer outlives close().
        await farewells.idle();
        farewells.stop();
        emitter.clear();
      })();
      return closing;
    },
  };
}
