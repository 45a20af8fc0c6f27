/**
 * Resumable sessions under fire (docs/resume.md): 200 links with `resume` through the chaos
 * proxy to a `linkvisor/server` on a real `ws` server, messages in both directions all along
 * (every 50 ms each way, per link), 10 faults: RST of every connection, a blackhole longer than
 * the heartbeat's window, and a cut in the middle of a frame. Each side checks every message it
 * receives is the next one: 0 lost, 0 duplicated, 0 reordered, messages in flight at each drop
 * included. Beside it the at-most-once control (the same faults without `resume`). The run and
 * its checks: resume-fixtures.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { figure } from './figures.js';
import { MessageLedger } from './ledger.js';
import { CHAOS, linkUrl } from './probes.js';
import { ChaosProxy } from './proxy.js';
import {
  BOUNCES,
  drained,
  fault,
  LINKS,
  RESUME_TEST_TIMEOUT_MS,
  resumeRun,
  SEND_EVERY_MS,
  START_MS,
  summary,
  totals,
} from './resume-fixtures.js';

describe('chaos: resumable sessions', () => {
  const h = useHarness();

  it('200 links × 10 faults (RST, blackhole, mid-frame cut), both directions: 0 lost, 0 duplicated, 0 reordered', {
    timeout: RESUME_TEST_TIMEOUT_MS,
  }, async () => {
    const SCENARIO = 'resume: 200 links × 10 faults';
    const run = await resumeRun(h);
    for (let bounce = 0; bounce < BOUNCES; bounce++) {
      await sleep(CHAOS.backoff.stableAfterMs);
      const resumedBefore = totals(run.pairs).resumed;
      await fault(run.proxy, bounce);
      await waitFor(() => totals(run.pairs).resumed >= resumedBefore + LINKS, {
        message: `fault ${bounce}: every link resumed`,
        timeoutMs: 60_000,
      }).catch((error: Error) => {
        throw new Error(`${error.message}: ${summary(run.pairs)}`);
      });
      await waitFor(() => run.pairs.every((p) => p.link.state === 'ready'), {
        message: 'ready',
        timeoutMs: 60_000,
      });
    }
    run.stop();
    await drained(run.pairs, SCENARIO);
    const t = totals(run.pairs);
    figure(SCENARIO, 'messages sent (both directions)', t.sent);
    figure(SCENARIO, 'lost', t.lost, '= 0');
    figure(SCENARIO, 'duplicated', t.duplicated, '= 0');
    figure(SCENARIO, 'reordered', t.reordered, '= 0');
    figure(SCENARIO, 'resumed / reset', `${t.resumed} / ${t.resets}`, `≥ ${LINKS * BOUNCES} / 0`);
    figure(SCENARIO, 'dropped (reported)', t.dropped, '= 0');
    expect([t.lost, t.duplicated, t.reordered, t.resets, t.dropped]).toEqual([0, 0, 0, 0, 0]);
    expect(t.resumed).toBeGreaterThanOrEqual(LINKS * BOUNCES);
  });

  it('control: the same faults without resume (at most once): messages sent then lost with the socket', {
    timeout: RESUME_TEST_TIMEOUT_MS,
  }, async () => {
    const SCENARIO = 'resume control: at most once, 200 links × 10 faults';
    const ledger = new MessageLedger();
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => ledger.receive(String(d))),
    });
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    const supervisor = h.supervisor({ ...CHAOS, connectTimeoutMs: 10_000, seed: 15 });
    const links: [string, Link][] = [];
    for (let i = 0; i < LINKS; i++) {
      const link = supervisor.connect(linkUrl(proxy.url(), i), { id: String(i) });
      ledger.watch(link, String(i));
      links.push([String(i), link]);
    }
    await waitFor(() => links.every(([, l]) => l.state === 'ready'), {
      message: 'all ready',
      timeoutMs: START_MS,
    });
    const sender = setInterval(() => {
      for (const [key, link] of links) ledger.send(link, key);
    }, SEND_EVERY_MS);
    h.defer(() => clearInterval(sender));
    for (let bounce = 0; bounce < BOUNCES; bounce++) {
      await sleep(CHAOS.backoff.stableAfterMs);
      await fault(proxy, bounce);
      await sleep(200);
      await waitFor(() => links.every(([, l]) => l.state === 'ready'), {
        message: 'ready',
        timeoutMs: 60_000,
      });
    }
    clearInterval(sender);
    await waitFor(() => ledger.pendingQueued() === 0, { message: 'queued delivered', timeoutMs: 10_000 });
    const v = ledger.verdict();
    figure(SCENARIO, 'messages handed to send()', v.handed);
    figure(SCENARIO, 'sent, then lost with the socket', v.lostSent);
    figure(SCENARIO, 'duplicated / reordered', `${v.duplicates} / ${v.outOfOrder}`, '= 0 / 0');
    expect(v.lostQueued).toBe(0);
    expect(v.duplicates).toBe(0);
  });
});
