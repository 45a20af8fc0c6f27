/**
 * A user's machine whose context or event holds what serialisers trip on — a getter that throws,
 * a BigInt, a cycle — inspected by `createStatelyInspector` (Stately's protocol over a link) and by
 * our own collector. Inspection must never put the user's actor in an error state nor crash the
 * process (Stately's observer serialises in a setTimeout: a throw there is an uncaught exception),
 * and what is sent carries a placeholder where a value could not be read.
 */

import { describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import { createInspector, createStatelyInspector } from '../../src/inspector/index.js';
import { redactValue } from '../../src/inspector/redact-value.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

const h = useHarness();

/** An object whose `boom` getter throws, a BigInt and a cycle, nested (XState's assign spreads
 * the context's top level, which would call a top-level getter in the user's own code). */
function hostile() {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  return {
    nested: {
      get boom(): unknown {
        throw new Error('getter threw');
      },
      fine: 1,
    },
    big: 12345678901234567890n,
    cyclic,
  };
}

const userMachine = setup({
  types: { context: {} as { data: ReturnType<typeof hostile>; n: number } },
}).createMachine({
  id: 'user',
  context: { data: hostile(), n: 0 },
  initial: 'a',
  states: {
    a: { on: { go: { target: 'b', actions: assign({ n: ({ context }) => context.n + 1 }) } } },
    b: { on: { go: { target: 'a', actions: assign({ n: ({ context }) => context.n + 1 }) } } },
  },
});

/** An event whose getter throws and that carries a BigInt: what a user's code may send. */
function hostileEvent(): never {
  return {
    type: 'go',
    get secret(): unknown {
      throw new Error('event getter threw');
    },
    big: 1n,
  } as never;
}
describe('hostile values in a user machine', () => {
  it('redactValue puts a placeholder for a getter that throws, and keeps the rest', () => {
    const copy = redactValue(hostile()) as { nested: Record<string, unknown>; big: unknown };
    expect(copy.nested.boom).toBe('[unreadable]');
    expect(copy.nested.fine).toBe(1);
    expect(copy.big).toBe('12345678901234567890');
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(redactValue({ proxy })).toEqual({ proxy: '[unreadable]' });
  });

  it('createStatelyInspector: the actor stays active, the process does not crash, the snapshot carries the placeholder', async () => {
    const received: { type: string; snapshot?: { context?: unknown } }[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => received.push(JSON.parse(String(data)))),
    });
    const stately = await createStatelyInspector({ url: server.url });
    await waitFor(() => stately.link.state === 'ready', { message: 'the link to the receiver is ready' });
    const actor = createActor(userMachine, { inspect: stately.inspect });
    actor.start();
    actor.send({ type: 'go' });
    actor.send(hostileEvent());
    // Stately hands events over in a setTimeout(0): let them run (an uncaught throw there fails the run).
    await sleep(50);
    expect(actor.getSnapshot().status).toBe('active');
    expect(actor.getSnapshot().context.n).toBe(2);
    await waitFor(() => received.filter((e) => e.type === '@xstate.snapshot').length >= 2, {
      message: 'the snapshots at the receiver',
    });
    const snapshot = received.filter((e) => e.type === '@xstate.snapshot').at(-1);
    expect(JSON.stringify(snapshot?.snapshot?.context)).toContain('"boom":"[unreadable]"');
    actor.stop();
    await stately.stop();
  });

  it("createStatelyInspector: a secret in a machine's initial context does not reach the receiver in its definition", async () => {
    const SECRET = 'SECRET-definition-4471';
    const received: unknown[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => received.push(JSON.parse(String(data)))),
    });
    const stately = await createStatelyInspector({ url: server.url });
    await waitFor(() => stately.link.state === 'ready', { message: 'the link to the receiver is ready' });
    const machine = setup({}).createMachine({
      id: 'configured',
      context: { url: `wss://example.org/feed?token=${SECRET}`, apiKey: SECRET },
      initial: 'idle',
      states: { idle: {} },
    });
    const actor = createActor(machine, { inspect: stately.inspect }).start();
    await waitFor(() => received.some((e) => JSON.stringify(e).includes('"definition"')), {
      message: 'the actor and its definition at the receiver',
    });
    expect(JSON.stringify(received)).toContain('configured');
    expect(JSON.stringify(received)).not.toContain(SECRET);
    actor.stop();
    await stately.stop();
  });

  it('createStatelyInspector: after stop(), an actor that goes on changing schedules no timer', async () => {
    const server = await h.wsServer();
    const stately = await createStatelyInspector({ url: server.url });
    const actor = createActor(userMachine, { inspect: stately.inspect }).start();
    await stately.stop();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    for (let i = 0; i < 100; i++) actor.send({ type: 'go' });
    // Stately's observer schedules each event in a setTimeout(0); after stop() none is handed to it.
    expect(timers()).toBe(before);
    actor.stop();
  });

  it('our collector: the transition is recorded, its payload with the placeholder', () => {
    const ours = createInspector();
    const actor = createActor(userMachine, { inspect: ours.inspect });
    actor.start();
    actor.send(hostileEvent());
    expect(actor.getSnapshot().status).toBe('active');
    const id = ours.actors().find((a) => a.machine === 'user')?.id ?? '';
    const records = ours.recordsOf(id);
    const go = records.find((r) => r.event === 'go');
    expect(go?.payload).toEqual({ secret: '[unreadable]', big: '1' });
    actor.stop();
    ours.dispose();
  });
});
