/**
 * A supervisor link's chart input already has every key the socket chart sets on it (`peerInput`:
 * `{ ...input, reconnectEnabled, reports }`, machines/socket.machine.ts). A clone that adds a key
 * gets, once V8 (Node 20) optimises that spread, a hidden class of its own per object: a map and
 * descriptor array a link, and every later read of the input a lookup (the actor's input took
 * 2.7 µs a link instead of 0.5; BENCHMARKS.md round 29 (open)). The hidden class itself is
 * not observable without V8's natives syntax, so this pins its cause: no key added.
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import type { ConnectionInput } from '../../machines/connection.machine.js';
import { peerInput, type SocketContext } from '../../machines/socket.machine.js';
import { createSupervisor, type LinkOptions, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';

/** The inputs of every `peer.add` the supervisor's socket chart took while `run` connected links. */
async function bookedInputs(
  run: (connect: (options?: LinkOptions) => void, supervisor: Supervisor) => void,
  inProcess = true,
) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  network.listen('mem://svc');
  const inputs: { input: ConnectionInput; context: SocketContext }[] = [];
  const supervisor = createSupervisor({
    transport: network.transport,
    clock,
    heartbeat: false,
    inspect: (event: InspectionEvent) => {
      if (event.type !== '@xstate.event' || event.event.type !== 'peer.add') return;
      const context = (event.actorRef.getSnapshot() as { context: SocketContext }).context;
      for (const input of (event.event as unknown as { inputs: ConnectionInput[] }).inputs)
        inputs.push({ input, context });
    },
  });
  run((options) => supervisor.connect('mem://svc', options), supervisor);
  await settle();
  await supervisor.close();
  // Nothing left after close: no timer of any link or of the socket's linger.
  expect(clock.pending).toBe(0);
  return inputs;
}

describe("a supervisor link's chart input", () => {
  it('has every key the socket chart sets (peerInput adds none), whatever the options', async () => {
    const inputs = await bookedInputs((connect) => {
      connect();
      connect({ intensity: false });
      connect({ intensity: { maxRestarts: 2 } });
      connect({ network: { rejoinJitterMs: 10 } });
      connect({ autoConnect: false });
      connect({ backoff: { initialDelayMs: 5 }, seed: 3 });
    });
    expect(inputs).toHaveLength(6);
    for (const { input, context } of inputs) {
      const own = Object.keys(input);
      expect(Object.keys(peerInput(context, input)), input.linkId).toEqual(own);
    }
    // The key is there for the socket chart to set: absent until then, as before (every report).
    expect(inputs.map(({ input }) => input.reports)).toEqual(inputs.map(() => undefined));
  });

  it('has them too where keys follow reports (resume, a per-attempt URL) and in a group', async () => {
    const inputs = await bookedInputs((connect, supervisor) => {
      connect({ resume: true, intensity: { maxRestarts: 2 }, network: { rejoinJitterMs: 10 } });
      supervisor.connect(() => 'mem://svc', { autoConnect: false });
      supervisor.connectGroup(['mem://svc', 'mem://svc'], { id: 'g', strategy: 'one-for-all' });
    }, false);
    expect(inputs).toHaveLength(4);
    const after = (input: ConnectionInput) =>
      Object.keys(input).slice(Object.keys(input).indexOf('reports') + 1);
    expect(inputs.map(({ input }) => after(input))).toEqual([
      ['resume', 'intensity', 'network'],
      ['perAttempt', 'autoConnect'],
      [],
      [],
    ]);
    for (const { input, context } of inputs) {
      expect(Object.keys(peerInput(context, input)), input.linkId).toEqual(Object.keys(input));
    }
  });
});
