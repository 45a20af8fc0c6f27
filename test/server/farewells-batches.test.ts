/**
 * The server's farewells (src/server/close-socket.ts) gather a turn's sockets into one chart event
 * each way; this checks the gathering on sockets that answer at chosen moments (fake sockets, fake
 * timers and clock): two batches with different deadlines, answers of both told together, a
 * socket that closes before its turn's close frames were told, each batch's silent sockets
 * terminated at its own deadline and no sooner, and `idle()` resolving only once every socket
 * closed, with no timer or immediate left after `stop()`, even when a socket it still held answers
 * after it (before the fix its answer scheduled an immediate that outlived `stop()`).
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { SERVER_CLOSE_TIMEOUT_MS } from '../../machines/policy/resume.js';
import { Farewells } from '../../src/server/close-socket.js';

/** A socket that goes CLOSING on close(), and CLOSED (its 'close' on the next tick) when its peer
 * answers or it is terminated. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  terminated = false;
  close(): void {
    if (this.readyState < 2) this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.closeNow(true);
  }
  /** The peer answered (or went away): closed, 'close' on the next tick (or now). */
  closeNow(nextTick = true): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    if (nextTick) process.nextTick(() => this.emit('close'));
    else this.emit('close');
  }
}

const asWs = (socket: FakeSocket) => socket as unknown as WebSocket;

describe('Farewells: one event a turn', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers of two batches, a socket gone before its turn was told, each batch terminated at its deadline', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
    });
    const events: { type: string; [key: string]: unknown }[] = [];
    const farewells = new Farewells((event) => {
      if (event.type === '@xstate.event') events.push(event.event as { type: string });
    });
    const first = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const s of first) farewells.close(asWs(s), 1001, 'bye');
    // Gone in the same run, before the turn's close frames were told: not counted.
    (first[2] as FakeSocket).closeNow(false);
    let idle = false;
    void farewells.idle().then(() => {
      idle = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    const second = [new FakeSocket(), new FakeSocket()];
    for (const s of second) farewells.close(asWs(s), 1001, 'bye');
    await vi.advanceTimersByTimeAsync(500);
    // One of each batch answers in one turn: told together, in one event.
    (first[0] as FakeSocket).closeNow();
    (second[0] as FakeSocket).closeNow();
    await vi.advanceTimersByTimeAsync(0);
    const told = events.filter((e) => e.type.startsWith('farewell.'));
    expect(told.map((e) => [e.type, e.count ?? e.answers])).toEqual([
      ['farewell.closing', 2],
      ['farewell.closing', 2],
      [
        'farewell.closed',
        [
          { dueMs: expect.any(Number), sockets: 1 },
          { dueMs: expect.any(Number), sockets: 1 },
        ],
      ],
    ]);
    // The first batch's silent socket at its deadline, the second's not yet.
    await vi.advanceTimersByTimeAsync(SERVER_CLOSE_TIMEOUT_MS - 1_500 + 1);
    expect([first[1]?.terminated, second[1]?.terminated, idle]).toEqual([true, false, false]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect([second[1]?.terminated, idle]).toEqual([true, true]);
    expect([first[0]?.terminated, first[2]?.terminated, second[0]?.terminated]).toEqual([
      false,
      false,
      false,
    ]);
    farewells.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(farewells.deadlines).toBe(0);
  });

  it('stopped with a socket still closing: its later answer schedules nothing, tells the stopped chart nothing', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const farewells = new Farewells();
    const socket = new FakeSocket();
    farewells.close(asWs(socket), 1001, 'bye');
    await vi.advanceTimersByTimeAsync(0);
    farewells.stop();
    expect(vi.getTimerCount()).toBe(0);
    socket.closeNow(false);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
