/**
 * The server's batches are at least `updateIntervalMs` apart by their own `now`, whatever the timers
 * do: Node's timers keep libuv's clock (whole ms, read when the timer was armed), and one fires up
 * to a millisecond before Date.now() says its delay is over (a paired node loop at 20 ms: 8 of 300
 * fired at 19 ms). page-feed.test.ts's load run saw two batches 99 ms apart at load 6.6. Here
 * Date.now() is moved back after the flush timer is armed, as a timer firing early looks to the
 * server; before round 38 the batch went out at once (10–11 ms after the one before).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInspector, type ServerMessage, startInspector } from '../../src/inspector/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';

const h = useHarness();
const INTERVAL_MS = 100;

afterEach(() => {
  vi.restoreAllMocks();
});

type Batch = Extract<ServerMessage, { type: 'batch' }>;

async function onePage() {
  const network = createMemoryNetwork();
  const server = network.listen('mem://interval');
  const inspector = createInspector();
  const supervisor = h.supervisor({
    transport: network.transport,
    inspect: inspector.inspect,
    heartbeat: false,
    backoff: { initialDelayMs: 5, maxDelayMs: 20, jitter: 'full' },
  });
  const link = supervisor.connect('mem://interval', { id: 'a' });
  await link.ready();
  const inspectorServer = await startInspector(supervisor, { inspector, updateIntervalMs: INTERVAL_MS });
  h.defer(() => inspectorServer.close());
  const page = await connectPage(inspectorServer.url);
  h.defer(() => page.close());
  await page.next('hello');
  const batches = () => page.messages.filter((m): m is Batch => m.type === 'batch');
  /** Drops the link (a change now: the flush timer is armed) and waits for it to be ready again. */
  const bounce = async () => {
    const before = link.status().readyCount;
    server.dropAll(1006);
    return () =>
      waitFor(() => link.status().readyCount > before, { message: 'ready again', timeoutMs: 20_000 });
  };
  return { page, batches, bounce };
}

/** Date.now() from here on, `lagMs` behind the real one. */
function setClockBack(lagMs: number): void {
  const realNow = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() - lagMs);
}

/** Date.now() from here on: what it says now, for ever. */
function stopClock(): void {
  const stopped = Date.now();
  vi.spyOn(Date, 'now').mockImplementation(() => stopped);
}

describe('the inspector server flushes at most once per updateIntervalMs', () => {
  it('a flush timer that fires before its interval is over by Date.now() waits for the rest', async () => {
    const { page, batches, bounce } = await onePage();
    await (await bounce())();
    const first = await page.next('batch');
    // The next change arms the flush timer for the rest of the interval after `first`; then
    // Date.now() falls 90 ms behind the timers' clock, as an early timer looks (exaggerated).
    const readyAgain = await bounce();
    setClockBack(90);
    await readyAgain();
    const second = await page.next('batch', (m) => m.seq > first.seq);
    expect(second.now - first.now).toBeGreaterThanOrEqual(INTERVAL_MS);
    const nows = batches().map((m) => m.now);
    const gaps = nows.slice(1).map((now, i) => now - (nows[i] as number));
    expect(gaps.filter((gap) => gap < INTERVAL_MS)).toEqual([]);
  });

  // A wall clock is not waited on for long: before round 38's review, a clock set back waited out
  // the jump (an hour here) before the next batch, and one standing still (re-armed for the rest
  // of an interval that never ends) sent no batch again. The hang guard of next() is far shorter.
  it('a wall clock set back an hour: the next batch goes out within an interval, not an hour', async () => {
    const { page, bounce } = await onePage();
    await (await bounce())();
    const first = await page.next('batch');
    setClockBack(3_600_000);
    await (await bounce())();
    const second = await page.next('batch', (m) => m.seq > first.seq);
    expect(second.now).toBeLessThan(first.now);
  });

  it('a clock standing still: batches still go out (every two intervals of the timers)', async () => {
    const { page, bounce } = await onePage();
    await (await bounce())();
    const first = await page.next('batch');
    stopClock();
    await (await bounce())();
    const second = await page.next('batch', (m) => m.seq > first.seq);
    await (await bounce())();
    await page.next('batch', (m) => m.seq > second.seq);
  });
});
