/**
 * Review of i42replay: a link whose first input is a `transport.closed` at the instant it started,
 * for another reason than its server refusing it (src/testing/replay-start-refusals.ts finds
 * refusals by that shape), on the in-process memory network. Each replays identical: a close
 * (kind `close`) is never taken for a refusal, and a connection accepted and failed with an error
 * at once is replayed as a refusal in the slice, which the links' charts cannot tell apart.
 */
import { expect, it } from 'vitest';
import { replayTrace, settle } from '../../src/testing/index.js';
import type { MemoryPeer } from '../../src/transports/memory-transport.js';
import { recordInMemory, type Session } from './record-in-memory.js';

const IDENTICAL = /^replay identical: \d+ steps of \d+ actors$/;
const NO_HEARTBEAT = { heartbeat: false } as const;

const lookalikes: [string, (session: Session) => Promise<void> | void][] = [
  [
    'heartbeat-less links dropped by dropAll() at time 0, in the same job',
    ({ supervisor, network }) => {
      const server = network.listen('mem://a');
      supervisor.connect('mem://a', { id: 'l0', ...NO_HEARTBEAT });
      supervisor.connect('mem://a', { id: 'l1', ...NO_HEARTBEAT });
      server.dropAll();
    },
  ],
  [
    'a heartbeat-less link dropped by dropAll() at time 0, a job later',
    async ({ supervisor, network }) => {
      const server = network.listen('mem://a');
      supervisor.connect('mem://a', { id: 'l0', ...NO_HEARTBEAT });
      await settle();
      server.dropAll();
    },
  ],
  [
    'a server that accepts and fails each connection with an error at once',
    ({ supervisor, network }) => {
      network
        .listen('mem://a')
        .onConnection((peer) => peer.fail({ kind: 'error', errorCode: 'EPIPE', message: 'write EPIPE' }));
      supervisor.connect('mem://a', { id: 'l0' });
      supervisor.connect('mem://a', { id: 'l1' });
    },
  ],
  [
    'a server that accepts and terminates each connection at once',
    ({ supervisor, network }) => {
      network.listen('mem://a').onConnection((peer) => peer.terminate());
      supervisor.connect('mem://a', { id: 'l0', ...NO_HEARTBEAT });
      supervisor.connect('mem://a', { id: 'l1', ...NO_HEARTBEAT });
    },
  ],
  [
    'a connection failed with an error a job after it opened, at time 0',
    async ({ supervisor, network }) => {
      let peer: MemoryPeer | undefined;
      network.listen('mem://a').onConnection((p) => {
        peer = p;
      });
      supervisor.connect('mem://a', { id: 'l0', ...NO_HEARTBEAT });
      await settle();
      peer?.fail({ kind: 'error', errorCode: 'ECONNRESET', message: 'read ECONNRESET' });
    },
  ],
  [
    'close() by the application inside the slice, the server refusing',
    ({ supervisor, network }) => {
      network.listen('mem://a').refuse();
      const first = supervisor.connect('mem://a', { id: 'l0' });
      void first.close();
      supervisor.connect('mem://a', { id: 'l1' });
    },
  ],
  [
    'no server listening on the URL (ECONNREFUSED with the URL in its message)',
    ({ supervisor }) => {
      supervisor.connect('mem://nowhere', { id: 'l0' });
      supervisor.connect('mem://nowhere', { id: 'l1' });
    },
  ],
];

for (const [name, drive] of lookalikes) {
  it(`${name}: replays identical`, async () => {
    const trace = await recordInMemory(drive);
    expect((await replayTrace(trace)).message).toMatch(IDENTICAL);
  });
}
