/**
 * reconnect() (or close()) right after reconnect(), in the same turn of the event loop: one close
 * event, for the connection the listeners knew; the generation the first reconnect() started,
 * which nobody could see but as readyState CONNECTING, ends without one. As partysocket 1.3's
 * (node_modules/partysocket): its reconnect() makes the next socket later (after a timer and the
 * url/protocols promises), so a second reconnect() meets the lock and a close() the old, closed
 * socket, and neither dispatches a close; its README promises a terminal close event for an
 * explicit close, which the first already was. Before: a second close event ("closed before the
 * connection was established") for a connection that never was. Later (another task) the
 * generation is the listeners' as any: close() then dispatches its close (test/dropin/close-reconnect).
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

describe('drop-in: reconnect() twice in one listener', () => {
  const h = useHarness();

  it('from an open listener: one close, then one open', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    rws.addEventListener('open', () => {
      if (log.count('open') > 1) return;
      rws.reconnect(4000, 'first');
      rws.reconnect(4001, 'second');
    });
    await waitFor(() => log.count('open') === 2, { message: 'reopened' });
    await sleep(3 * FAST.maxReconnectionDelay);
    expect(log.lines).toEqual(['open', 'close:4000', 'open']);
  });

  it('from an error listener: the attempt’s close, once, then the next open', async () => {
    let n = 0;
    const server = await h.wsServer({ onConnection: (ws) => n++ === 0 && ws.terminate() });
    const rws = dropIn(h, server.url, undefined, { ...FAST, minReconnectionDelay: 60_000 });
    const log = recordWs(rws);
    rws.addEventListener('error', () => {
      rws.reconnect();
      rws.reconnect();
    });
    await waitFor(() => log.count('open') === 2, { message: 'reopened' });
    expect(log.lines).toEqual(['open', 'error:close', 'close:1006', 'open']);
  });

  it('reconnect() then close() at once: one close, no connection after', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    rws.reconnect();
    rws.close(4002);
    expect(log.lines).toEqual(['open', 'close:1000']);
    expect(rws.readyState).toBe(rws.CLOSED);
    await sleep(3 * FAST.maxReconnectionDelay);
    expect(log.lines).toEqual(['open', 'close:1000']);
  });
});
