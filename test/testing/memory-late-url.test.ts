/**
 * In-process links (a memory network's default) go idle → ready before their socket exists: with
 * a per-attempt URL function that resolves later, what is sent while ready is queued, and it
 * goes out when the socket arrives, in order, before what is sent after; never held until close.
 * Against a refusing server such a link passes through ready too (the fast path, documented on
 * `inProcess`): what it queued is reported `dropped` when it gives up, never lost silently.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type Payload } from '../../src/index.js';
import { createMemoryNetwork, type MemoryPeer } from '../../src/testing/index.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('memory network (in-process): a per-attempt URL that resolves after ready', () => {
  it('delivers what was sent before the socket existed, then the rest, in order', async () => {
    const network = createMemoryNetwork();
    const peers: MemoryPeer[] = [];
    network.listen('mem://feed').onConnection((peer) => peers.push(peer));
    const supervisor = createSupervisor({ transport: network.transport, heartbeat: false });
    try {
      let resolveUrl: (url: string) => void = () => {};
      const link = supervisor.connect(() => new Promise<string>((resolve) => (resolveUrl = resolve)));
      await link.ready();
      expect(link.send('m1')).toBe('queued');
      resolveUrl('mem://feed');
      await waitFor(() => peers.length === 1, { message: 'the socket' });
      link.send('m2');
      await sleep(50); // room for the deliveries (each a microtask)
      expect(peers[0]?.received).toEqual(['m1', 'm2']);
    } finally {
      await supervisor.terminate();
    }
  });

  it('a refusing server: ready() resolves (idle → ready), and the queued message is reported dropped', async () => {
    const network = createMemoryNetwork();
    const supervisor = createSupervisor({ transport: network.transport, heartbeat: false });
    try {
      const link = supervisor.connect(async () => 'mem://nobody', { backoff: { maxAttempts: 0 } });
      const dropped: Payload[] = [];
      link.on('dropped', ({ data }) => dropped.push(data));
      await link.ready();
      expect(link.send('m1')).toBe('queued');
      await waitFor(() => link.state === 'failed', { message: 'the link gives up' });
      expect(dropped).toEqual(['m1']);
    } finally {
      await supervisor.terminate();
    }
  });
});
