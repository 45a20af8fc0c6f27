/**
 * A memory server answers a URL with a query, as a real server does: a link that carries its token
 * in the query (`mem://feed?token=…`) reaches the server listening on `mem://feed`,
 * and the peer shows the URL it was reached with.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, type MemoryPeer } from '../../src/testing/index.js';

describe('memory network: URLs with a query', () => {
  it('reach the server listening on the URL without it', async () => {
    const network = createMemoryNetwork();
    const server = network.listen('mem://feed');
    const peers: MemoryPeer[] = [];
    server.onConnection((peer) => peers.push(peer));
    const supervisor = createSupervisor({ transport: network.transport });
    try {
      const link = supervisor.connect('mem://feed?token=t1', { backoff: { maxAttempts: 0 } });
      await link.ready();
      expect(peers.map((peer) => peer.url)).toEqual(['mem://feed?token=t1']);
    } finally {
      await supervisor.close();
    }
  });
});
