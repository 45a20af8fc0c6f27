/**
 * A memory network's client that closes politely (`link.close()`: the drain, then the close frame)
 * delivers what it wrote before, as a socket does: the frames before the close frame arrive. Before
 * round 36 (i36hunt) the peer went at close() and what was still on its way was counted `lost`
 * (the link said `sent`, the server never saw it): a message sent right before close() vanished on
 * the memory network and not on a real one. A terminate still loses it (a reset socket does). Both
 * transports' modes: in-process (the default) and not.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { sleep } from '../helpers/wait.js';

describe('memory network: a polite close delivers what was written before it', () => {
  for (const inProcess of [true, false]) {
    it(`send() then close(): the server receives it, nothing lost (inProcess ${inProcess})`, async () => {
      const network = createMemoryNetwork({ inProcess });
      const server = network.listen('mem://svc');
      const got: unknown[] = [];
      server.onConnection((peer) => peer.onMessage((data) => got.push(data)));
      const supervisor = createSupervisor({ transport: network.transport, networkSignals: false });
      try {
        const link = supervisor.connect('mem://svc');
        await link.ready();
        expect(link.send('last words')).toBe('sent');
        await link.close();
        await sleep(20);
        expect(got).toEqual(['last words']);
        expect(server.lost).toEqual([]);
      } finally {
        await supervisor.terminate();
      }
    });

    it(`send() then terminate(): lost on the way, as on a reset socket (inProcess ${inProcess})`, async () => {
      const network = createMemoryNetwork({ inProcess });
      const server = network.listen('mem://svc');
      const got: unknown[] = [];
      server.onConnection((peer) => peer.onMessage((data) => got.push(data)));
      const supervisor = createSupervisor({ transport: network.transport, networkSignals: false });
      const link = supervisor.connect('mem://svc');
      await link.ready();
      expect(link.send('cut off')).toBe('sent');
      await supervisor.terminate();
      await sleep(20);
      expect(got).toEqual([]);
      expect(server.lost).toEqual(['cut off']);
    });
  }
});
