/**
 * A custom transport that refuses an attempt inside `connect()` with a reason of its own (neither
 * a network error nor an HTTP status: `{ kind: 'quota' }`), links connected in one job (docs/replay.md
 * "Limits" until round 43). Replayed, the refused link's server held the attempt while the next
 * link started, and the replay diverged at the socket's link.unready of that slice. Now a recorded
 * in-slice refusal of any reason is replayed in the slice with the recorded reason
 * (src/testing/replay-start-refusals.ts), on an in-process and a full-lifecycle transport.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type Transport } from '../../src/index.js';
import { createMemoryNetwork, replayTrace, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import type { Trace } from '../../src/trace/trace-format.js';
import { recordInMemory } from './record-in-memory.js';

const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;

/** A transport over the memory network that refuses mem://quota inside connect(), with its own reason. */
async function recordCustomRefusals(inProcess: boolean, urls: string[], group = false): Promise<Trace> {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  network.listen('mem://a');
  network.listen('mem://quota');
  const base = network.transport;
  let refusals = 0;
  const custom: Transport = {
    ...base,
    name: 'quota',
    connect(target, handlers, context) {
      if (!target.url.startsWith('mem://quota') || refusals++ > 0)
        return base.connect(target, handlers, context);
      handlers.closed({ kind: 'quota', message: 'over quota', code: 'E_QUOTA' } as never);
      return { send: () => false, ping: () => false, close() {}, terminate() {}, bufferedAmount: 0 };
    },
  };
  const supervisor = createSupervisor({ transport: custom, clock, seed: 1 });
  const recorder = recordSession(supervisor);
  if (group) supervisor.connectGroup(urls, { id: 'g', strategy: 'one-for-all' });
  else for (const [i, url] of urls.entries()) supervisor.connect(url, { id: `l${i}` });
  await clock.advance(3000);
  const trace = recorder.stop();
  await supervisor.terminate();
  return trace;
}

for (const inProcess of [true, false]) {
  describe(`${inProcess ? 'in-process' : 'full-lifecycle'} custom transport`, () => {
    it('a link refused in its start slice with a reason of the transport’s own replays identical', async () => {
      const trace = await recordCustomRefusals(inProcess, ['mem://quota', 'mem://a']);
      expect(JSON.stringify(trace.records)).toContain('"kind":"quota"');
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });

    it('the last link of the slice refused replays identical', async () => {
      const trace = await recordCustomRefusals(inProcess, ['mem://a', 'mem://quota']);
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });

    it('a one-for-all group whose first member is refused replays identical', async () => {
      const trace = await recordCustomRefusals(inProcess, ['mem://quota', 'mem://a', 'mem://a'], true);
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });
  });
}

// The same slice with a memory server refusing (ECONNREFUSED) and others accepting: the members that
// opened in the slice were held until their recorded transport.open, and the group's restart of
// them came first (diverged at step 10, link:g/1: expected transport.open; actual link.restart).
it('a one-for-all group, its first member refused by a memory server, the others accepted, replays identical', async () => {
  const trace = await recordInMemory(({ supervisor, network }) => {
    network.listen('mem://a').refuse({ error: 'ECONNREFUSED' });
    network.listen('mem://b');
    supervisor.connectGroup(['mem://a', 'mem://b', 'mem://b'], { id: 'g', strategy: 'one-for-all' });
  });
  expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
});
