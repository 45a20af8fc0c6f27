/**
 * "Pattern B" (review of i41trace): links connected in one job to a refusing in-process server
 * (memory network, `refuse({ error: 'ECONNREFUSED' })` or an HTTP 503). Recorded, the first link's
 * attempt fails inside the start slice, before the second link starts (its link.unready is step 4,
 * the second's link.ready step 6). Replayed, every link's server held its attempt, so the first
 * failure waited for its input record while the second link started: `replay diverged at step 4
 * (socket): expected link.unready …; actual: link.ready …` (pinned here until round 42). Now a link
 * whose first attempt the trace shows refused inside the slice is refused by its server then, with
 * the recorded reason (src/testing/replay-start-refusals.ts), and the recorded transport.closed
 * has already happened when the replay reaches it.
 */
import { expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import type { RefuseWith } from '../../src/transports/memory-transport.js';
import { recordInMemory } from './record-in-memory.js';

const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;

const refusedLinks = (how: RefuseWith, ids: string[]) =>
  recordInMemory(({ supervisor, network }) => {
    network.listen('mem://a').refuse(how);
    for (const id of ids) supervisor.connect('mem://a', { id });
  });

for (const [name, how] of [
  ['ECONNREFUSED', { error: 'ECONNREFUSED' }],
  ['HTTP 503', { status: 503 }],
  ['HTTP 503 with Retry-After', { status: 503, retryAfterSeconds: 2 }],
  ['close code 1013', { code: 1013 }],
] as const) {
  it(`two links refused in one job (${name}) replay identical`, async () => {
    const trace = await refusedLinks(how, ['l0', 'l1']);
    expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
  });
}

it('three links refused in one job replay identical', async () => {
  const trace = await refusedLinks({ error: 'ECONNREFUSED' }, ['l0', 'l1', 'l2']);
  expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
});

it('links of one slice on a refusing and an accepting server replay identical', async () => {
  const trace = await recordInMemory(({ supervisor, network }) => {
    network.listen('mem://a').refuse({ error: 'ECONNREFUSED' });
    network.listen('mem://b');
    supervisor.connect('mem://a', { id: 'l0' });
    supervisor.connect('mem://b', { id: 'l1' });
    supervisor.connect('mem://a', { id: 'l2' });
  });
  expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
});

for (const strategy of ['one-for-all', 'rest-for-one'] as const) {
  it(`a ${strategy} group refused as it starts replays identical`, async () => {
    const trace = await recordInMemory(({ supervisor, network }) => {
      network.listen('mem://a').refuse({ status: 503 });
      supervisor.connectGroup(['mem://a', 'mem://a', 'mem://a'], { id: 'g', strategy });
    });
    expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
  });
}

it('a refusal on a later attempt (the first ones opened) replays identical', async () => {
  const trace = await recordInMemory(async ({ supervisor, network, clock }) => {
    const server = network.listen('mem://a');
    supervisor.connect('mem://a', { id: 'l0' });
    supervisor.connect('mem://a', { id: 'l1' });
    await clock.advance(10);
    server.refuse({ error: 'ECONNREFUSED' });
    server.dropAll();
  });
  const refused = trace.records.filter(
    (r) =>
      r.kind === 'event' &&
      r.event.type === 'transport.closed' &&
      /ECONNREFUSED/.test(JSON.stringify(r.event)),
  );
  expect(refused.length).toBeGreaterThan(2);
  expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
});

it('refused links replay identical on a network that is not in-process (held as before)', async () => {
  const trace = await recordInMemory(({ supervisor, network }) => {
    network.listen('mem://a').refuse({ error: 'ECONNREFUSED' });
    for (const id of ['l0', 'l1', 'l2']) supervisor.connect('mem://a', { id });
  }, false);
  expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
});
