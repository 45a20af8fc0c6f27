/**
 * Server B of the shared-store claim tests: a second resumable server (real `ws`, 127.0.0.1 port
 * 0) on its own view of server A's `memoryStore()` (./shared-view.ts, with `claimOwned`), its
 * calls recorded in `calls`, its errors and its sessions' `resumed`, `dropped` and `close` events
 * as lines (`B replayed 1`, `B away`, `B dropped m1 expired`, `B close expired`), and `holdGet()`: B's next
 * `get` reads the record at once and answers it only when the test says (`release()`), and
 * `holdWrite()`: B's next write waits until the test lands it.
 */
import { type MemoryStore, resumable } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import type { Harness } from '../helpers/harness.js';
import { type Hold, sharedView } from './shared-view.js';

export async function serverB(
  h: Harness,
  inner: MemoryStore,
  options: { withClaimOwned?: boolean; maxSessions?: number } = {},
) {
  const server = await h.wsServer();
  const calls: string[] = [];
  const hold: Hold = {};
  const b = resumable(server.wss, {
    store: sharedView(inner, calls, hold, true, true, options.withClaimOwned ?? true),
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
  });
  h.defer(() => b.close());
  const errors: LinkvisorError[] = [];
  b.on('error', (error) => errors.push(error));
  const events: string[] = [];
  b.on('session', (s) => {
    s.on('resumed', ({ replayedOut }) => events.push(`B replayed ${replayedOut}`));
    s.on('dropped', ({ data, reason }) => events.push(`B dropped ${String(data)} ${reason}`));
    s.on('close', ({ reason }) => events.push(`B close ${reason}`));
    s.on('away', () => events.push('B away'));
  });
  /** B's next get reads now and answers on `release()`. */
  const holdGet = () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    hold.get = async (id) => {
      hold.get = undefined;
      const record = inner.get(id);
      await gate;
      return record;
    };
    return () => release();
  };
  /** B's next write waits for the returned `land()`; `slip` runs inside it first. */
  const holdWrite = (slip = () => {}) => {
    let land = () => {};
    hold.next = () => {
      slip();
      hold.wait = new Promise<void>((resolve) => {
        land = resolve;
      });
    };
    return () => land();
  };
  return { server, b, calls, hold, errors, events, holdGet, holdWrite };
}
