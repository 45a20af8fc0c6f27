/**
 * The connection chart while the application holds reading paused (`link.pause` / `link.resume`,
 * backpressure), pure: ready.paused judges no pong, so the peer is never judged on pongs the link
 * cannot read; its one timer writes a probe every heartbeat interval (a paused socket notices a
 * peer that is gone only when it writes); reading again gives the heartbeat a whole window (interval, then the pong's
 * timeout), so a peer that is really gone is still found, that long after the resume. A peer
 * that has answered once is held to its pongs on every later socket (`pongSeen` is the link's): a
 * socket silent from its open is a dead one, not a peer that never answers pings.
 */
import { describe, expect, it } from 'vitest';
import { answeredWalk, RESET_1006, readyWalk, TIMING, Walk } from './connection-walk.js';

const PAUSED = { attempt: { ready: 'paused' } };

/** Pauses the walk's link and checks what a paused link is: ready, connected, the probe's timer
 * only, nothing said. */
function pause(walk: Walk): Walk {
  walk.send({ type: 'link.pause' });
  expect(walk.snapshot.value).toEqual(PAUSED);
  expect(walk.state).toBe('ready');
  expect(walk.snapshot.hasTag('connected')).toBe(true);
  expect(walk.timerNames()).toEqual(['heartbeatInterval']);
  expect(walk.delayOf('heartbeatInterval')).toBe(TIMING.heartbeat.intervalMs);
  expect(walk.sentToTransport()).toEqual([]);
  expect(walk.lastEmitted()).toEqual([]);
  expect(walk.did('closeTransport')).toBe(false);
  return walk;
}

describe('connection chart: reading paused by the application', () => {
  it('pausing in every state of the heartbeat stops its timer, whatever it was waiting for', () => {
    const states: [string, (walk: Walk) => Walk][] = [
      ['settling', (walk) => walk],
      ['settled', (walk) => walk.fire('stableAfter')],
      ['beating', (walk) => walk.ping().send({ type: 'heartbeat.pong', rttMs: 1, proof: 'pong' })],
      ['awaitingPong', (walk) => walk.ping()],
      ['graceTurn', (walk) => walk.ping().fire('heartbeatTimeout')],
    ];
    for (const [state, reach] of states) {
      const walk = reach(readyWalk());
      expect(walk.snapshot.value, state).toEqual({ attempt: { ready: state } });
      pause(walk);
    }
  });

  it('a peer that answered is not lost while paused, however long: no timer runs to judge it', () => {
    const walk = pause(answeredWalk().ping());
    // The ping sent before the pause is still out: its pong may come once reading resumes.
    expect(walk.context).toMatchObject({ pongSeen: true, pingOutstanding: true, missedPongs: 0 });
    expect(walk.emitted.map((e) => e.type)).toEqual(['ready']);
  });

  it('paused: a probe every heartbeat interval, its pong awaited by nobody; never lost, however many', () => {
    const walk = pause(answeredWalk());
    const before = walk.context;
    for (let i = 0; i < 5; i++) {
      walk.fire('heartbeatInterval');
      expect(walk.snapshot.value).toEqual(PAUSED);
      expect(walk.sentToTransport()).toEqual([{ type: 'transport.probe' }]);
      // Re-entered: the next probe's interval starts now.
      expect(walk.timerNames()).toEqual(['heartbeatInterval']);
      expect(walk.lastEmitted()).toEqual([]);
    }
    expect(walk.context).toEqual(before);
    expect(walk.emitted.map((e) => e.type)).toEqual(['ready']);
    // A probe's write that fails ends the socket: the attempt ends as any paused one does.
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.state).toBe('reconnecting');
    expect(walk.context.readingPaused).toBe(true);
  });

  it('reading again: a whole quiet interval, then a ping and its whole timeout; a peer really gone is lost then', () => {
    const walk = pause(answeredWalk());
    walk.send({ type: 'link.resume' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'beating' } });
    expect(walk.timerNames()).toEqual(['heartbeatInterval']);
    expect(walk.delayOf('heartbeatInterval')).toBe(TIMING.heartbeat.intervalMs);
    walk.fire('heartbeatInterval');
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'awaitingPong' } });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.ping' }]);
    expect(walk.delayOf('heartbeatTimeout')).toBe(TIMING.heartbeat.timeoutMs);
    walk.fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.state).toBe('reconnecting');
    expect(walk.emitted.at(-2)).toMatchObject({ type: 'lost', reason: { kind: 'heartbeat' } });
  });

  it('reading again before the link is stable: the stable wait starts again, split from the interval', () => {
    const walk = pause(readyWalk());
    walk.send({ type: 'link.resume' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.timerNames()).toEqual(['stableAfter']);
    expect(walk.delayOf('stableAfter')).toBe(TIMING.backoff.stableAfterMs);
  });

  it('a pong read after the resume still answers the ping sent before the pause', () => {
    const walk = pause(answeredWalk().ping()).send({ type: 'link.resume' });
    walk.send({ type: 'heartbeat.pong', rttMs: 40, proof: 'pong' });
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.flush' }]);
    expect(walk.context).toMatchObject({ pingOutstanding: false, rttMs: 40 });
  });

  it('paused, the link still ends with its socket, closes with a drain, and takes no overdue check', () => {
    const lost = pause(answeredWalk()).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(lost.state).toBe('reconnecting');
    const closing = pause(readyWalk()).send({ type: 'link.close' });
    expect(closing.snapshot.value).toEqual({ attempt: { closing: 'draining' } });
    const overdue = pause(answeredWalk()).send({ type: 'heartbeat.overdue' });
    expect(overdue.snapshot.value).toEqual(PAUSED);
    expect(overdue.timerNames()).toEqual(['heartbeatInterval']);
  });

  it('heartbeat off: no timer to stop, the stable wait runs on; the hold is recorded all the same', () => {
    const walk = readyWalk({ heartbeat: { mode: 'off' } });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'unmonitored' } });
    walk.send({ type: 'link.pause' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'unmonitored' } });
    expect(walk.context.readingPaused).toBe(true);
    expect(walk.timerNames()).toEqual(['stableAfter']);
    walk.send({ type: 'link.resume' });
    expect(walk.context.readingPaused).toBe(false);
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'unmonitored' } });
  });

  it('link.resume is for a paused link only: a link never paused stays as it is', () => {
    const walk = readyWalk().send({ type: 'link.resume' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.timerNames()).toEqual(['stableAfter']);
    expect(walk.context.readingPaused).toBeUndefined();
  });
});

describe("connection chart: the hold on reading is the link's, across its sockets", () => {
  it('a link paused between sockets (or before its first) enters ready paused, with its probe', () => {
    const connecting = readyWalk().send({ type: 'link.reconnect' }).send({ type: 'link.pause' });
    expect(connecting.snapshot.value).toEqual({ attempt: 'connecting' });
    expect(connecting.context.readingPaused).toBe(true);
    pausedAgain(connecting.send({ type: 'transport.open' }));
    const idle = new Walk({ autoConnect: false }).send({ type: 'link.pause' });
    expect(idle.snapshot.value).toBe('idle');
    pausedAgain(idle.send({ type: 'link.connect' }).send({ type: 'transport.open' }));
  });

  it('a paused link that drops stays paused: its next socket enters ready paused', () => {
    const walk = pause(answeredWalk()).send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.state).toBe('reconnecting');
    expect(walk.context.readingPaused).toBe(true);
    walk.fire('reconnectDelay');
    pausedAgain(walk.send({ type: 'transport.open' }));
    // Resumed on the new socket (not stable yet): its quiet interval, split by the stable wait.
    walk.send({ type: 'link.resume' });
    expect(walk.context.readingPaused).toBe(false);
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.timerNames()).toEqual(['stableAfter']);
  });

  it('resumed between sockets: the next socket reads and its heartbeat runs', () => {
    const walk = pause(readyWalk()).send({ type: 'transport.closed', reason: RESET_1006 });
    walk.send({ type: 'link.resume' }).fire('reconnectDelay').send({ type: 'transport.open' });
    expect(walk.snapshot.value).toEqual({ attempt: { ready: 'settling' } });
    expect(walk.context.readingPaused).toBe(false);
  });

  it('the handshake of a paused link reads and times out as usual; ready is entered paused', () => {
    const walk = new Walk({ hasHandshake: true })
      .send({ type: 'link.pause' })
      .send({ type: 'transport.open' });
    expect(walk.snapshot.value).toEqual({ attempt: 'handshaking' });
    expect(walk.timerNames()).toEqual(['handshakeTimeout']);
    pausedAgain(walk.send({ type: 'handshake.ok' }));
  });

  it('in-process, a paused link starts ready paused', () => {
    pausedAgain(new Walk({ inProcess: true }).send({ type: 'link.pause' }).send({ type: 'link.reconnect' }));
  });
});

/** A new socket of a paused link: ready paused, the probe's timer only, announced ready like any
 * socket. */
function pausedAgain(walk: Walk): Walk {
  expect(walk.snapshot.value).toEqual(PAUSED);
  expect(walk.state).toBe('ready');
  expect(walk.timerNames()).toEqual(['heartbeatInterval']);
  expect(walk.context.readingPaused).toBe(true);
  return walk;
}

describe("connection chart: pongSeen is the link's, not an attempt's", () => {
  it('a peer that has answered once is held to it on its next socket: a silent one is dropped', () => {
    const walk = answeredWalk();
    expect(walk.context.pongSeen).toBe(true);
    walk.send({ type: 'link.reconnect' });
    expect(walk.context.pongSeen).toBe(true);
    walk.send({ type: 'transport.open' }).ping().fire('heartbeatTimeout').fire('ioTurn');
    expect(walk.state).toBe('reconnecting');
  });
});
