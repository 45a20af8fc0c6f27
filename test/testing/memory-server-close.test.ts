/**
 * A memory server's close() is idempotent: closing a server that is already closed (a test's
 * cleanup after the test closed it itself) does not take down the server that listens on its URL
 * now, and a link keeps reaching that one.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';

const URL = 'mem://svc';

describe('memory network: close() of a closed server', () => {
  it('leaves the server now listening on the same URL alone', async () => {
    const network = createMemoryNetwork();
    const first = network.listen(URL);
    first.close();
    const second = network.listen(URL);
    first.close();
    expect(network.server(URL)).toBe(second);

    const supervisor = createSupervisor({ transport: network.transport });
    try {
      const link = supervisor.connect(URL, { backoff: { maxAttempts: 0 } });
      await link.ready();
      expect(second.accepted).toBe(1);
    } finally {
      await supervisor.close();
    }
  });
});
