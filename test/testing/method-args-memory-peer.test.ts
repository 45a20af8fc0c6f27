/**
 * The in-process server's and peer's methods given hostile arguments: refused at the call
 * (LV_ERR_INVALID_OPTION / LV_ERR_INVALID_DATA naming the argument), and the link on the other end
 * carries on. Before (round 26): `onConnection(listener)` and `peer.onMessage(listener)` took a
 * listener that is no function (the next connection or message then threw a raw TypeError inside
 * the transport); `peer.send(data)` threw a raw TypeError ("Cannot read properties of undefined
 * (reading 'slice')") for a number or an object; `peer.close(code)` and `server.dropAll(code)`
 * took null, NaN, a string or 999 and handed it to the link as its close code; `peer.fail(null)`
 * ended the peer with no reason the link could read. The memory network is the real thing here
 * (linkvisor/testing's own transport), on a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, type MemoryPeer, TestClock } from '../../src/testing/index.js';

const refused = (option: string, code = 'LV_ERR_INVALID_OPTION') =>
  expect.objectContaining({ name: 'LinkvisorError', code, option });

const NOT_FUNCTIONS: unknown[] = [null, 5, 'onPeer', Symbol('l'), { handleEvent() {} }];
const NOT_CODES: unknown[] = [null, Number.NaN, '4000', 999, 5000, 4000.5, Number.POSITIVE_INFINITY];

describe('memory server and peer: hostile method arguments', () => {
  it('each is refused at the call; the link is still ready and echoes, nothing is left after close', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const server = network.listen('mem://feed');
    const peers: MemoryPeer[] = [];
    server.onConnection((peer) => {
      peers.push(peer);
      peer.onMessage((data) => peer.send(data));
    });
    const supervisor = createSupervisor({ clock, transport: network.transport, networkSignals: false });
    const errors: string[] = [];
    supervisor.on('error', (e) => errors.push(e.code));
    const link = supervisor.connect('mem://feed');
    link.on('error', (e) => errors.push(e.code));
    const echoes: unknown[] = [];
    link.on('message', (data) => echoes.push(data));
    await link.ready();
    await clock.advance(0);
    const peer = peers[0] as MemoryPeer;

    for (const bad of NOT_FUNCTIONS) {
      expect(() => server.onConnection(bad as never)).toThrow(refused('listener'));
      expect(() => peer.onMessage(bad as never)).toThrow(refused('listener'));
    }
    for (const bad of [null, undefined, 5, {}, Symbol('d'), [1, 2]]) {
      expect(() => peer.send(bad as never)).toThrow(refused('data', 'LV_ERR_INVALID_DATA'));
    }
    for (const bad of NOT_CODES) {
      expect(() => peer.close(bad as never)).toThrow(refused('code'));
      expect(() => server.dropAll(bad as never)).toThrow(refused('code'));
    }
    expect(() => peer.close(4000, 42 as never)).toThrow(refused('reason'));
    for (const bad of [null, 5, 'gone', {}, { kind: 'close' }]) {
      expect(() => peer.fail(bad as never)).toThrow(refused('reason'));
    }

    // Nothing changed: the same peer, open, and the link still ready and echoed.
    expect(link.state).toBe('ready');
    expect(server.peers).toEqual([peer]);
    link.send('still here');
    await clock.advance(0);
    expect(echoes).toEqual(['still here']);

    // What is right still works: a peer closing with 4000 is reported with that code.
    const closes: (number | undefined)[] = [];
    link.on('lost', (e) => closes.push(e.reason.code));
    peer.close(4000, 'bye');
    await clock.advance(0);
    expect(closes).toEqual([4000]);
    await supervisor.close();
    expect(clock.pending).toBe(0);
    expect(errors).toEqual([]);
  });
});
