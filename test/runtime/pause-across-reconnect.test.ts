/**
 * Pausing and the attempts after it (round 19 finding, on the memory network under the simulated
 * clock): what a link does today when it drops while the application holds reading paused. Pins
 * the behaviour docs/links.md ("Pausing") describes, so a change to it is deliberate:
 * - the hold is the socket's: the next socket's handshake reads (it cannot time out for a peer it
 *   could not read) and, once ready, its messages are delivered although the application had
 *   paused: an application still behind must pause again on `ready`;
 * - what the paused socket had not read goes with it (as any unread data of a dropped socket:
 *   only `resume` replays it);
 * - `pause()` between sockets returns false: there is no socket to hold.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, type Link, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';

const URL = 'mem://pause-reconnect';

let open: { supervisor: Supervisor; clock: TestClock } | null = null;
afterEach(async () => {
  if (open) await closeOnClock(open.supervisor, open.clock);
  open = null;
});

const stateOf = (link: Link) => link.actor.getSnapshot().value;

describe('link.pause() across a reconnect (the hold is the socket’s)', () => {
  it('the next socket’s handshake reads, its messages arrive; the paused socket’s unread ones go with it', async () => {
    const clock = new TestClock();
    const net = createMemoryNetwork({ clock, inProcess: false });
    const server = net.listen(URL);
    // Every connection answers the handshake's hello, then the test speaks.
    server.onConnection((peer) => peer.onMessage((data) => data === 'hello' && peer.send('welcome')));
    const supervisor = createSupervisor({ transport: net.transport, clock, networkSignals: false });
    open = { supervisor, clock };
    const handshakes: string[] = [];
    const link = supervisor.connect(URL, {
      heartbeat: { intervalMs: 1_000, timeoutMs: 500 },
      backoff: { jitter: 'none', initialDelayMs: 100 },
      handshake: async (session) => {
        session.send('hello');
        handshakes.push(String(await session.next()));
      },
    });
    const got: string[] = [];
    const lost: string[] = [];
    link.on('message', (data) => got.push(String(data)));
    link.on('lost', ({ reason }) => lost.push(`${reason.kind}:${reason.phase ?? ''}`));
    await runClock(clock, 1_000, () => link.state === 'ready', 10);
    expect(link.pause()).toBe(true);
    server.peers[0]?.send('unread 1');
    server.peers[0]?.send('unread 2');
    await settle();
    expect(got).toEqual([]);
    server.peers[0]?.terminate();
    await settle();
    expect(link.state).toBe('reconnecting');
    expect(link.pause()).toBe(false); // no socket to hold
    await runClock(clock, 5_000, () => link.state === 'ready', 10);
    // The new socket read its handshake: no handshake timeout for a peer it could not read.
    expect(handshakes).toEqual(['welcome', 'welcome']);
    expect(lost).toEqual(['close:']);
    expect(stateOf(link)).not.toEqual({ attempt: { ready: 'paused' } });
    server.peers.at(-1)?.send('new socket');
    await settle();
    // Delivered although the application had paused (it must pause again on `ready`); the
    // paused socket's unread messages went with it.
    expect(got).toEqual(['new socket']);
  });
});
