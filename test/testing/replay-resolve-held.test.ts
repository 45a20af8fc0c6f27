/**
 * Round 43 review: a per-attempt resolve held by the replay (src/testing/replay-resolve.ts) where
 * the session ends it otherwise: the application closes the link while it is held, the trace is cut
 * short while it is held (a truncated recording), and links mixing functions and strings in one
 * one-for-all group with a refusal in the slice. Each replay ends with a verdict, identical.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import type { Trace } from '../../src/trace/index.js';
import { recordInMemory } from './record-in-memory.js';

const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;

for (const inProcess of [true, false]) {
  describe(`${inProcess ? 'in-process' : 'full-lifecycle'} memory network`, () => {
    it('the application closes a link while its resolve is held: identical', async () => {
      const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
        const server = network.listen('mem://a');
        let n = 0;
        const link = supervisor.connect(() => (++n === 2 ? new Promise<string>(() => {}) : 'mem://a'), {
          id: 'l0',
          resolveTimeoutMs: 5000,
        });
        await clock.advance(10);
        server.dropAll();
        await clock.advance(1500);
        void link.close();
        await clock.advance(10);
      }, inProcess);
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });

    it('a trace cut short after any transport.closed (a resolve held or not) ends identical', async () => {
      const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
        const server = network.listen('mem://a');
        let n = 0;
        supervisor.connect(
          () => {
            if (++n % 2 === 0) throw new Error('token endpoint down');
            return 'mem://a';
          },
          { id: 'l0' },
        );
        for (let i = 0; i < 3; i++) {
          await clock.advance(1000);
          server.dropAll();
        }
      }, inProcess);
      const cuts = [...trace.records.entries()].filter(
        ([, r]) => r.kind === 'event' && r.event.type === 'transport.closed',
      );
      expect(cuts.length).toBeGreaterThan(2);
      for (const [i] of cuts) {
        const cut: Trace = { header: trace.header, records: trace.records.slice(0, i + 1) };
        expect((await replayTrace(cut)).message, `cut after record ${i}`).toMatch(IDENTICAL);
      }
    });

    it('a one-for-all group mixing functions and strings, one member refused, replays identical', async () => {
      const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
        network.listen('mem://a');
        const refusing = network.listen('mem://r');
        refusing.refuse({ error: 'ECONNREFUSED' });
        let n = 0;
        const throwsFirst = () => {
          if (++n === 1) throw new Error('not yet');
          return 'mem://a';
        };
        supervisor.connectGroup(['mem://a', throwsFirst as never, 'mem://r', 'mem://a'], {
          id: 'g',
          strategy: 'one-for-all',
        });
        await clock.advance(2000);
        refusing.accept();
        await clock.advance(20_000);
      }, inProcess);
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });
  });
}
