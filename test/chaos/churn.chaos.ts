/**
 * 60 s of churn: 50 links through the proxy, which resets every connection every 200 ms; links
 * reconnect, heartbeat, send and queue all along. The links run in a child process started with
 * --expose-gc (its heap is theirs alone): the heap after full GC may grow by at most 2 MB between
 * 20 % of the run and its end, listener counts must be the same at both points, and once the
 * supervisor is closed the process's handles are back to what they were before it was created
 * (and it exits by itself).
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { Child, fixture } from './child.js';
import { figure } from './figures.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'churn: 50 links, resets every 200 ms';
const DURATION_MS = Number(process.env.LV_CHURN_MS ?? 60_000);
const LINKS = 50;
const RESET_EVERY_MS = 200;
const MAX_GROWTH_BYTES = 2 * 1024 * 1024;

interface ChurnResult {
  heap: { at: number; bytes: number }[];
  listenersAt20: Record<string, number>;
  listenersAtEnd: Record<string, number>;
  handlesBefore: Record<string, number>;
  handlesAfter: Record<string, number>;
  attempts: number;
  maxLivePerLink: number;
  violations: number;
  counts: Record<string, number>;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const count = (handles: Record<string, number>) => Object.values(handles).reduce((n, v) => n + v, 0);

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  it(
    `${DURATION_MS / 1000} s: heap after GC grows ≤ 2 MB from 20 % to the end, listener counts constant, handles back to baseline`,
    async () => {
      const server = await h.wsServer({ onConnection: (ws) => ws.on('message', (data) => ws.send(data)) });
      const proxy = await ChaosProxy.start({ targetPort: server.port });
      h.defer(() => proxy.stop());
      const child = new Child(fixture('churn-child.ts'), [proxy.url(), String(DURATION_MS), String(LINKS)], {
        nodeFlags: ['--expose-gc'],
      });
      h.defer(() => child.kill());
      await child.line('started');
      let resets = 0;
      const resetter = setInterval(() => {
        resets += proxy.resetAll();
      }, RESET_EVERY_MS);
      h.defer(() => clearInterval(resetter));
      const result = await child.json<ChurnResult>('result', DURATION_MS + 30_000);
      clearInterval(resetter);
      const exit = await child.exitWithin(5_000);

      const at20 = result.heap.find((s) => s.at === 0.2)?.bytes ?? Number.NaN;
      const atEnd = result.heap.at(-1)?.bytes ?? Number.NaN;
      const growth = atEnd - at20;
      figure(SCENARIO, 'connections reset by the proxy / attempts made', `${resets} / ${result.attempts}`);
      figure(SCENARIO, 'ready / lost events', `${result.counts.ready} / ${result.counts.lost}`);
      figure(
        SCENARIO,
        'heap after GC at 10 % … 100 % (MiB)',
        result.heap.map((s) => (s.bytes / 1024 ** 2).toFixed(1)).join(' '),
      );
      figure(SCENARIO, 'heap growth from 20 % to the end', kib(growth), `≤ ${kib(MAX_GROWTH_BYTES)}`);
      const same = JSON.stringify(result.listenersAt20) === JSON.stringify(result.listenersAtEnd);
      figure(
        SCENARIO,
        'listeners at 20 % → end (wire/observers/actor/socket/process)',
        `${Object.values(result.listenersAt20).join('/')} → ${Object.values(result.listenersAtEnd).join('/')}${same ? ' (same)' : ''}`,
        'equal',
      );
      figure(
        SCENARIO,
        'timers, sockets, servers, immediates: before / after close()',
        `${count(result.handlesBefore)} / ${count(result.handlesAfter)}`,
        'equal',
      );
      figure(SCENARIO, 'most live sockets of one link', result.maxLivePerLink, '≤ 1');
      figure(SCENARIO, 'child exited by itself', exit ? `code ${exit.code}` : 'no (killed)', 'code 0');

      expect(result.attempts).toBeGreaterThan(1_000);
      expect(growth).toBeLessThanOrEqual(MAX_GROWTH_BYTES);
      expect(result.listenersAtEnd).toEqual(result.listenersAt20);
      expect(result.handlesAfter).toEqual(result.handlesBefore);
      expect(result.violations).toBe(0);
      expect(result.maxLivePerLink).toBe(1);
      expect(exit?.code, child.describe()).toBe(0);
    },
    DURATION_MS + 60_000,
  );
});
