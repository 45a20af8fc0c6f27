/**
 * The resume protocol's core (src/resume) under random schedules of sends, deliveries, drops
 * (frames in flight lost), reconnects and time, on a simulated clock and an in-memory network:
 * each side delivers exactly what the other sent, in order, once; with a server that loses its
 * sessions, nothing is delivered twice or out of order and every message the client could not
 * confirm is reported.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Command, MemoryNetwork } from './memory-network.js';

const command = (restarts: boolean): fc.Arbitrary<Command> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant('clientSend' as const), n: fc.integer({ min: 1, max: 5 }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant('serverSend' as const), n: fc.integer({ min: 1, max: 5 }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant('toClient' as const), k: fc.integer({ min: 1, max: 8 }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant('toServer' as const), k: fc.integer({ min: 1, max: 8 }) }),
    },
    { weight: 1, arbitrary: fc.constant({ t: 'drop' as const }) },
    { weight: 2, arbitrary: fc.constant({ t: 'connect' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 150 }) }),
    },
    ...(restarts ? [{ weight: 1, arbitrary: fc.constant({ t: 'serverRestart' as const }) }] : []),
  );

/** Small limits, so backpressure (a full replay buffer) happens often. */
const limits = fc.record({
  maxMessages: fc.integer({ min: 1, max: 20 }),
  maxBytes: fc.integer({ min: 8, max: 200 }),
});
const acks = fc.record({
  ackEveryMessages: fc.integer({ min: 1, max: 10 }),
  ackDelayMs: fc.integer({ min: 1, max: 200 }),
});

/** `got` holds each element at most once, in the order of `sent`. */
function inOrderOnce(got: string[], sent: string[]): boolean {
  const position = new Map(sent.map((m, i) => [m, i]));
  let last = -1;
  for (const m of got) {
    const at = position.get(m);
    if (at === undefined || at <= last) return false;
    last = at;
  }
  return true;
}

describe('resume protocol core, memory network', () => {
  it('delivered sequences on both sides equal the sent sequences (random drops, sends, acks)', () => {
    fc.assert(
      fc.property(limits, acks, fc.array(command(false), { maxLength: 120 }), (lim, ack, commands) => {
        const net = new MemoryNetwork(lim, ack);
        for (const c of commands) {
          net.run(c);
          // At every step: a prefix of what was sent, never a gap, a repeat or a reordering.
          expect(net.serverSent.slice(0, net.clientGot.length)).toEqual(net.clientGot);
          expect(net.clientSent.slice(0, net.serverGot.length)).toEqual(net.serverGot);
        }
        net.settle();
        expect(net.clientGot).toEqual(net.serverSent);
        expect(net.serverGot).toEqual(net.clientSent);
        expect(net.clientDropped).toEqual([]);
        expect(net.outcomes.filter((o) => o.outcome === 'reset')).toEqual([]);
        // Settled: every buffer drained by acks.
        expect(net.client.stream.bufferedMessages).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('with server restarts that lose every session: once, in order, and every unconfirmed message reported', () => {
    fc.assert(
      fc.property(limits, acks, fc.array(command(true), { maxLength: 120 }), (lim, ack, commands) => {
        const net = new MemoryNetwork(lim, ack);
        for (const c of commands) net.run(c);
        net.settle();
        expect(inOrderOnce(net.serverGot, net.clientSent)).toBe(true);
        const confirmedOrReported = new Set([...net.serverGot, ...net.clientDropped]);
        expect(net.clientSent.filter((m) => !confirmedOrReported.has(m))).toEqual([]);
        const restarts = commands.filter((c) => c.t === 'serverRestart').length;
        const resets = net.outcomes.filter((o) => o.outcome === 'reset').length;
        expect(resets).toBeLessThanOrEqual(restarts);
      }),
      { numRuns: 300 },
    );
  });
});
