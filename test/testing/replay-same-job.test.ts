/**
 * Same-job orderings an application writes, recorded on the in-process memory network and
 * replayed ("Pattern A" and its neighbours, round 42). `server.dropAll()` then `connectGroup()`
 * (one-for-all) in one job replayed identical already; with the server refusing too, the new
 * group's start slice sits among the old group's restarts (`link.restart` commands the socket sends
 * after the closes), and its first member's refusal inside the slice diverged at step 21 (socket:
 * expected link.unready; actual: link.ready) until a group's restarts were skipped when finding the
 * slice's refusals (src/testing/replay-start-refusals.ts). The others are regression tests.
 */
import { expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import { recordInMemory, type Session } from './record-in-memory.js';

const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;

const ONE_FOR_ALL = { strategy: 'one-for-all' } as const;
const orderings: [string, (session: Session) => Promise<void> | void][] = [
  [
    'dropAll() then connectGroup() (one-for-all) in one job',
    async ({ supervisor, network, clock }) => {
      const server = network.listen('mem://a');
      supervisor.connectGroup(['mem://a', 'mem://a'], { id: 'g0', ...ONE_FOR_ALL });
      await clock.advance(10);
      server.dropAll();
      supervisor.connectGroup(['mem://a', 'mem://a'], { id: 'g', ...ONE_FOR_ALL });
    },
  ],
  [
    'dropAll(4000) then connectGroup() in one job',
    async ({ supervisor, network, clock }) => {
      const server = network.listen('mem://a');
      supervisor.connectGroup(['mem://a', 'mem://a'], { id: 'g0', ...ONE_FOR_ALL });
      await clock.advance(10);
      server.dropAll(4000, 'bye');
      supervisor.connectGroup(['mem://a', 'mem://a'], { id: 'g', ...ONE_FOR_ALL });
    },
  ],
  [
    'refuse(), dropAll() then connectGroup() in one job',
    async ({ supervisor, network, clock }) => {
      const server = network.listen('mem://a');
      supervisor.connectGroup(['mem://a', 'mem://a'], { id: 'g0', ...ONE_FOR_ALL });
      await clock.advance(10);
      server.refuse({ error: 'ECONNREFUSED' });
      server.dropAll();
      supervisor.connectGroup(['mem://a', 'mem://a', 'mem://a'], { id: 'g', ...ONE_FOR_ALL });
    },
  ],
  [
    'connectGroup() then dropAll() in one job',
    ({ supervisor, network }) => {
      const server = network.listen('mem://a');
      supervisor.connectGroup(['mem://a', 'mem://a'], { id: 'g', ...ONE_FOR_ALL });
      server.dropAll();
    },
  ],
  [
    'close() of one link while others start, the server refusing',
    async ({ supervisor, network, clock }) => {
      const server = network.listen('mem://a');
      const first = supervisor.connect('mem://a', { id: 'l0' });
      await clock.advance(10);
      server.refuse({ error: 'ECONNREFUSED' });
      void first.close();
      supervisor.connect('mem://a', { id: 'l1' });
      supervisor.connect('mem://a', { id: 'l2' });
    },
  ],
  [
    'close() of a link right after connect() of another',
    ({ supervisor, network }) => {
      network.listen('mem://a');
      const first = supervisor.connect('mem://a', { id: 'l0' });
      supervisor.connect('mem://a', { id: 'l1' });
      void first.close();
    },
  ],
  [
    "connect() after signal('offline'), the server refusing",
    async ({ supervisor, network, clock }) => {
      const server = network.listen('mem://a');
      supervisor.connect('mem://a', { id: 'l0' });
      await clock.advance(10);
      server.refuse({ error: 'ECONNREFUSED' });
      supervisor.signal('offline');
      supervisor.connect('mem://a', { id: 'l1' });
      supervisor.connect('mem://a', { id: 'l2' });
      await clock.advance(50);
      supervisor.signal('online');
    },
  ],
];

for (const [name, drive] of orderings) {
  for (const inProcess of [true, false]) {
    it(`${name} (${inProcess ? 'in-process' : 'full lifecycle'}) replays identical`, async () => {
      const trace = await recordInMemory(drive, inProcess);
      expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
    });
  }
}
