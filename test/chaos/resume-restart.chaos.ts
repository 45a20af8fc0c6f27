/**
 * Resumable sessions when the server goes away (docs/resume.md), 200 links with `resume` through
 * the chaos proxy (resume-fixtures.ts): a server restart with the in-memory store (every link
 * reset, every unconfirmed message reported) and with a durable store (every link resumed,
 * nothing lost), and a long outage that overflows the server's replay buffers (reset with reason
 * overflow, buffers never above their bound).
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fileStore, tempDir } from '../server/file-store.js';
import { figure } from './figures.js';
import { drained, LINKS, RESUME_TEST_TIMEOUT_MS, resumeRun, summary, totals } from './resume-fixtures.js';

describe('chaos: resumable sessions', () => {
  const h = useHarness();

  it('server restart with the in-memory store: every link reset, every unconfirmed message reported', {
    timeout: RESUME_TEST_TIMEOUT_MS,
  }, async () => {
    const SCENARIO = 'resume: restart, in-memory store';
    const run = await resumeRun(
      h,
      { ackEveryMessages: 10_000, ackDelayMs: 600_000 },
      {
        resume: { ackEveryMessages: 10_000, ackDelayMs: 600_000 },
      },
    );
    await sleep(500);
    const before = run.pairs.map((p) => p.up.sent);
    // A busy machine may make links lose a heartbeat and resume, before the restart and after
    // their reset (in the new session): what matters is the first outcome after the restart.
    const mark = run.pairs.map((p) => p.outcomes.length);
    await run.close();
    // The server side: closing without a durable store ends every session; each reports what its
    // link never acknowledged, which includes everything the link did not receive.
    const undelivered = run.pairs.map((p) => p.down.sent - p.down.received);
    expect(run.pairs.every((p, i) => p.serverDropped >= (undelivered[i] ?? 0))).toBe(true);
    figure(
      SCENARIO,
      'server: messages never acknowledged, reported dropped (server-closed)',
      totals(run.pairs).serverDropped,
      `≥ ${undelivered.reduce((a, b) => a + b, 0)} undelivered`,
    );
    await run.server.stop();
    run.restart(await h.wsServer(run.proxy.behind), {});
    await waitFor(() => run.pairs.every((p) => p.resets.length === 1 && p.link.state === 'ready'), {
      message: 'every link reset and ready',
      timeoutMs: 60_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}: ${summary(run.pairs)}`);
    });
    run.stop();
    const t = totals(run.pairs);
    // Nothing was acknowledged before the restart: each link reports every message it had sent.
    const reported = run.pairs.every((p, i) => p.dropped >= (before[i] ?? 0));
    figure(
      SCENARIO,
      'links reset (unknown-session)',
      run.pairs.filter((p) => p.resets[0] === 'unknown-session').length,
      `= ${LINKS}`,
    );
    figure(
      SCENARIO,
      'unconfirmed messages reported dropped (reset)',
      t.dropped,
      `≥ ${before.reduce((a, b) => a + b, 0)}`,
    );
    expect(run.pairs.every((p) => p.resets.join() === 'unknown-session')).toBe(true);
    expect(reported).toBe(true);
    expect(run.pairs.map((p, i) => p.outcomes[mark[i] ?? 0])).toEqual(
      run.pairs.map(() => 'reset unknown-session'),
    );
  });

  it('server restart with a durable store: every link resumed, nothing lost', {
    timeout: RESUME_TEST_TIMEOUT_MS,
  }, async () => {
    const SCENARIO = 'resume: restart, durable store';
    const tmp = tempDir();
    h.defer(() => tmp.remove());
    const run = await resumeRun(h, { store: fileStore(tmp.dir) });
    await sleep(500);
    const resumedBefore = run.pairs.map((p) => p.resumed);
    await run.close();
    await run.server.stop();
    run.restart(await h.wsServer(run.proxy.behind), { store: fileStore(tmp.dir) });
    await waitFor(
      () => run.pairs.every((p, i) => p.resumed > (resumedBefore[i] ?? 0) && p.link.state === 'ready'),
      {
        message: 'every link resumed',
        timeoutMs: 60_000,
      },
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${summary(run.pairs)}`);
    });
    await sleep(300);
    run.stop();
    await drained(run.pairs, SCENARIO);
    const t = totals(run.pairs);
    figure(
      SCENARIO,
      'links resumed after the restart',
      run.pairs.filter((p, i) => p.resumed > (resumedBefore[i] ?? 0)).length,
      `= ${LINKS}`,
    );
    figure(
      SCENARIO,
      'lost / duplicated / reordered',
      `${t.lost} / ${t.duplicated} / ${t.reordered}`,
      '= 0 / 0 / 0',
    );
    expect([t.lost, t.duplicated, t.reordered, t.resets, t.dropped]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a long outage overflows the server buffers: reset (overflow) on every link, buffers never above their bound', {
    timeout: RESUME_TEST_TIMEOUT_MS,
  }, async () => {
    const SCENARIO = 'resume: long outage, maxMessages 40';
    const run = await resumeRun(h, { maxMessages: 40 });
    let most = 0;
    const sample = setInterval(() => {
      for (const p of run.pairs) most = Math.max(most, p.session?.status().buffered.messages ?? 0);
    }, 20);
    h.defer(() => clearInterval(sample));
    const heapBefore = process.memoryUsage().heapUsed;
    run.proxy.blackhole();
    // Held until every session overflowed (40 unacknowledged: 2 s at 20 messages/s on an idle
    // machine; longer on a busy one, whose timers fire late), then as long again.
    const blackholeStart = performance.now();
    await waitFor(() => run.pairs.every((p) => p.session?.ended), {
      message: 'every session overflowed',
      timeoutMs: 120_000,
    });
    await sleep(performance.now() - blackholeStart);
    const heapDuring = process.memoryUsage().heapUsed;
    run.proxy.heal();
    await waitFor(() => run.pairs.every((p) => p.resets.includes('overflow') && p.link.state === 'ready'), {
      message: 'every link reset (overflow)',
      timeoutMs: 120_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}: ${summary(run.pairs)}`);
    });
    run.stop();
    clearInterval(sample);
    figure(
      SCENARIO,
      'links reset (overflow)',
      run.pairs.filter((p) => p.resets.includes('overflow')).length,
      `= ${LINKS}`,
    );
    figure(SCENARIO, 'most messages buffered by one session', most, '≤ 40');
    figure(SCENARIO, 'heap growth during the outage, MB', (heapDuring - heapBefore) / 1e6);
    expect(most).toBeLessThanOrEqual(40);
  });
});
