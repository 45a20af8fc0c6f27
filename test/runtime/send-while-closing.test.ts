/**
 * What README "Sending" promises for a link whose `state` still says ready while its socket is
 * already closing (the peer's close arrived, the chart has not processed it yet): send() queues
 * instead of writing — the message goes out on the next connection — and under
 * `queue.overflow: 'reject'` a full queue throws LV_ERR_QUEUE_FULL. Memory network (the server
 * drops its peers synchronously, the client hears it a step later) and a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

describe("send() while state is 'ready' but the socket is closing", () => {
  it("returns 'queued' (delivered after the reconnect), then LV_ERR_QUEUE_FULL once the queue is full under 'reject'", async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const server = network.listen('mem://svc');
    const supervisor = createSupervisor({
      transport: network.transport,
      clock,
      heartbeat: false,
      backoff: { initialDelayMs: 10, maxDelayMs: 10, jitter: 'none' },
      queue: { maxMessages: 1, maxBytes: 1_000, overflow: 'reject' },
    });
    const link = supervisor.connect('mem://svc');
    await clock.advance(5);
    expect(link.state).toBe('ready');
    expect(link.send('written')).toBe('sent');

    server.dropAll(1012, 'restart');
    expect(link.state).toBe('ready'); // the close has not reached the chart yet
    expect(link.send('waits')).toBe('queued');
    let error: LinkvisorError | undefined;
    try {
      link.send('does not fit');
    } catch (e) {
      error = e as LinkvisorError;
    }
    expect(error?.code).toBe('LV_ERR_QUEUE_FULL');

    await clock.advance(50);
    expect(link.state).toBe('ready');
    await clock.advance(5);
    const received = server.peers.flatMap((peer) => [...peer.received]);
    expect(received).toEqual(['waits']);
    const closing = supervisor.close();
    await clock.advance(100);
    await closing;
  });
});
