/**
 * The memory network leaves nothing behind a client or a server that is gone: a link terminated
 * while its connect waits out the server's latency leaves no timer on the clock, and a server that
 * closes resets the attempts it held (`hold()`) at once instead of leaving them to their links'
 * connect timeouts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

const URL = 'mem://teardown';
const supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.close()));
});

function rig() {
  const clock = new TestClock();
  const net = createMemoryNetwork({ clock, inProcess: false });
  const server = net.listen(URL);
  // No reconnect: what is left on the clock after the link ends is the network's.
  const supervisor = createSupervisor({ transport: net.transport, clock, shouldReconnect: () => false });
  supervisors.push(supervisor);
  return { clock, server, supervisor };
}

describe('memory network teardown', () => {
  for (const how of ['supervisor.terminate()', 'link.close()'] as const) {
    it(`a link ended by ${how} during the connect latency leaves no timer on the clock`, async () => {
      const { clock, server, supervisor } = rig();
      server.setLatency(5_000);
      const link = supervisor.connect(URL);
      await clock.advance(10);
      expect(link.state).toBe('connecting');
      if (how === 'link.close()') await link.close();
      else await supervisor.terminate();
      await link.ended();
      expect(server.attempts).toBe(0);
      expect(clock.pendingDelays()).toEqual([]);
      await clock.advance(10_000);
      expect(server.attempts).toBe(0);
    });
  }

  it('a closing server resets the attempts it held: the link hears it at once', async () => {
    const { clock, server, supervisor } = rig();
    server.hold();
    const link = supervisor.connect(URL);
    await clock.advance(10);
    expect(server.pending).toHaveLength(1);
    const failures: string[] = [];
    link.on('failed', (e) => failures.push(e.reason.message));
    server.close();
    expect(server.pending).toHaveLength(0);
    await clock.advance(1);
    expect(link.state).toBe('failed');
    expect(failures).toEqual(['read ECONNRESET']);
  });
});
