/**
 * Per-attempt functions that fail (docs/replay.md "Limits" until round 43): a `url` function that
 * throws or rejects (LV_ERR_RESOLVE), one that gives no URL (LV_ERR_INVALID_URL), a `protocols`
 * function returning a bad value, a `headers` function that throws, a resolve that hangs until the
 * chart's resolveTimeout. The replay's URL function replayed every resolve as an instant success:
 * `replay diverged at step 10 (link:l0): expected transport.closed: attempt.ready.settling →
 * reconnecting; actual: transport.opening: …`. Now it holds each resolve until the trace says how it
 * ended (src/testing/replay-resolve.ts), on the in-process and the full-lifecycle memory network.
 */
import { describe, expect, it } from 'vitest';
import type { LinkOptions } from '../../src/index.js';
import { replayTrace } from '../../src/testing/index.js';
import { formatTrace, parseTrace, type Trace } from '../../src/trace/index.js';
import { recordInMemory } from './record-in-memory.js';

const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;

/** A link on mem://a whose second attempt fails as `fail` does; the first is dropped, the third opens. */
const failingSecond = (
  inProcess: boolean,
  options: (n: () => number) => Partial<LinkOptions> & { url?: unknown },
) =>
  recordInMemory(async ({ supervisor, network, clock }) => {
    const server = network.listen('mem://a');
    let n = 0;
    const { url, ...rest } = options(() => n);
    const target = (url ??
      (() => {
        n++;
        return 'mem://a?token=SECRET0123456789';
      })) as never;
    supervisor.connect(target, { id: 'l0', ...rest });
    await clock.advance(10);
    server.dropAll();
    await clock.advance(5000);
  }, inProcess);

const cases: [string, (n: () => number) => Partial<LinkOptions> & { url?: unknown }, string][] = [
  [
    'a url function that throws',
    () => {
      let n = 0;
      return {
        url: () => {
          if (++n === 2) throw new Error('token endpoint down');
          return 'mem://a';
        },
      };
    },
    'LV_ERR_RESOLVE',
  ],
  [
    'a url function that rejects',
    () => {
      let n = 0;
      return { url: async () => (++n === 2 ? Promise.reject(new Error('503 from /token')) : 'mem://a') };
    },
    'LV_ERR_RESOLVE',
  ],
  [
    'a url function that gives no URL',
    () => {
      let n = 0;
      return { url: () => (++n === 2 ? 'not a url' : 'mem://a') };
    },
    'LV_ERR_INVALID_URL',
  ],
  [
    'a protocols function that returns a bad value',
    (n) => ({ protocols: () => (n() === 2 ? ['bad protocol'] : ['v1']) }),
    'LV_ERR_RESOLVE',
  ],
  [
    'a headers function that throws',
    (n) => ({
      headers: () => {
        if (n() === 2) throw new Error('no credentials');
        return { 'x-app': 'replay' };
      },
    }),
    'LV_ERR_RESOLVE',
  ],
];

const resolveFailures = (trace: Trace) =>
  trace.records.filter(
    (r) =>
      r.kind === 'event' &&
      r.event.type === 'transport.closed' &&
      (r.event.reason as { errorCode?: string }).errorCode?.startsWith('LV_ERR_'),
  );

for (const inProcess of [true, false]) {
  describe(`${inProcess ? 'in-process' : 'full-lifecycle'} memory network`, () => {
    for (const [name, options, code] of cases) {
      it(`${name} (${code}) replays identical`, async () => {
        const trace = parseTrace(formatTrace(await failingSecond(inProcess, options)));
        const failed = resolveFailures(trace);
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ event: { reason: { kind: 'error', errorCode: code } } });
        const result = await replayTrace(trace);
        expect(result.message).toMatch(IDENTICAL);
        // The replay failed that attempt with the recorded code too.
        expect(resolveFailures(result.replayed).map((r) => r.kind === 'event' && r.event.reason)).toEqual([
          expect.objectContaining({ errorCode: code }),
        ]);
        // With the recorded words: the function that failed named as recorded (`headers() threw or
        // rejected`, never the replay's own `url()`), its message, a URL that was none.
        const reasonOf = (r: (typeof failed)[number]) => (r.kind === 'event' ? r.event.reason : null);
        if (!name.includes('bad value'))
          expect(resolveFailures(result.replayed).map(reasonOf)).toEqual(failed.map(reasonOf));
      });
    }

    // In-process, the chart waits for no resolve (idle → ready): the hung one is simply never
    // heard from; on the full lifecycle, resolveTimeout ends it.
    it('a resolve that hangs replays identical (resolveTimeout on the full lifecycle)', async () => {
      const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
        network.listen('mem://a');
        let n = 0;
        supervisor.connect(() => (++n === 1 ? new Promise<string>(() => {}) : 'mem://a'), {
          id: 'l0',
          resolveTimeoutMs: 500,
        });
        await clock.advance(5000);
      }, inProcess);
      const timedOut = trace.records.filter(
        (r) => r.kind === 'event' && r.source.kind === 'timer' && r.source.delay === 'resolveTimeout',
      );
      expect(timedOut).toHaveLength(inProcess ? 0 : 1);
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });
  });
}

it('a resolve failure the replay has no resolve for is named, not a bare divergence', async () => {
  const trace = await failingSecond(true, cases[0]![1]);
  // Edited: the attempt that opened now says its resolve failed after it opened.
  const records = trace.records.map((r) => structuredClone(r));
  const opened = records.findIndex((r) => r.kind === 'event' && r.event.type === 'transport.open');
  const failed = resolveFailures({ header: trace.header, records })[0]!;
  const edited = { ...failed, step: records[opened]!.step, atMs: records[opened]!.atMs };
  records.splice(opened, 1, edited as never);
  const result = await replayTrace({ header: trace.header, records });
  expect(result.ok).toBe(false);
  expect(result.message).toMatch(
    /transport\.closed \(LV_ERR_RESOLVE\) cannot be replayed: no per-attempt function of link:l0 is resolving/,
  );
});

it('links of one job, the first one’s url function throwing on its first attempt, replay identical', async () => {
  const trace = await recordInMemory(({ supervisor, network }) => {
    network.listen('mem://a');
    let n = 0;
    supervisor.connect(
      () => {
        if (++n === 1) throw new Error('not yet');
        return 'mem://a';
      },
      { id: 'l0' },
    );
    supervisor.connect('mem://a', { id: 'l1' });
    supervisor.connect('mem://a', { id: 'l2' });
  });
  expect(resolveFailures(trace)).toHaveLength(1);
  expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
});

it('a trace in the older form (peer.add with one `input`) parses and replays identical', async () => {
  const trace = await failingSecond(true, cases[0]![1]);
  const lines = formatTrace(trace)
    .split('\n')
    .map((line) => {
      if (!line.includes('"peer.add"')) return line;
      const record = JSON.parse(line);
      record.event = { type: 'peer.add', input: record.event.inputs[0] };
      return JSON.stringify(record);
    });
  const older = parseTrace(lines.join('\n'));
  expect(older.records.find((r) => r.kind === 'event' && r.event.type === 'peer.add')).toMatchObject({
    event: { input: { linkId: 'link:l0', perAttempt: true } },
  });
  expect((await replayTrace(older)).message).toMatch(IDENTICAL);
});
