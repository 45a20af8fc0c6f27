/**
 * The stepper's reused executors under links of one supervisor (on the memory transport) whose
 * listeners and inspector act synchronously: when the server drops every link, a `lost` listener
 * closes another link and one connects a new link, a `closed` listener closes a third, and the
 * supervisor's inspector closes a fourth from inside a microstep event (sent from the middle of a
 * stepped actor's drain). No off switch of the stepper exists to compare with; here every link ends
 * as its own story says: the closed ones closed with no error, the others ready again, no `error`
 * event, and nothing left after the supervisor closes (the harness's leak check). A smoke test: it
 * passes with one executor shared by every step too (the runtime does not step a link inside
 * another's drain here: its listeners and close() run after the step); the nesting itself is
 * ./stepped-reentrant.test.ts's differential against XState's own steps, which that mutant fails.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

// biome-ignore lint/suspicious/noExplicitAny: XState inspection events.
type Any = any;

describe('links whose listeners and inspector act synchronously while the stepper steps them', () => {
  const h = useHarness();

  it('a drop of every link: each closed or ready again as its listeners said, no error, no leak', async () => {
    const net = createMemoryNetwork();
    const server = net.listen('mem://svc');
    const links: Link[] = [];
    let armed = false;
    let inspectorClosed = false;
    const supervisor = h.supervisor({
      ...FAST,
      networkSignals: false,
      transport: net.transport,
      inspect: (e: Any) => {
        // From inside a stepped actor's step: its drain sends the microstep event.
        if (armed && !inspectorClosed && e.type === '@xstate.microstep' && e.actorRef !== undefined) {
          inspectorClosed = true;
          void links[4]?.close();
        }
      },
    });
    for (let i = 0; i < 6; i++) links.push(supervisor.connect('mem://svc'));
    const [l0, l1, l2, l3, l4, l5] = links as [Link, Link, Link, Link, Link, Link];
    const errors: unknown[] = [];
    for (const link of links) link.on('error', (e) => errors.push(e));
    await waitFor(() => links.every((l) => l.state === 'ready'), { message: 'six links ready' });

    let extra: Link | undefined;
    l0.on('lost', () => void l1.close());
    l2.on('lost', () => {
      extra ??= supervisor.connect('mem://svc');
      extra.on('error', (e) => errors.push(e));
    });
    l1.on('closed', () => void l3.close());
    armed = true;
    server.dropAll();

    await waitFor(
      () =>
        [l1, l3, l4].every((l) => l.state === 'closed') &&
        [l0, l2, l5].every((l) => l.state === 'ready') &&
        extra?.state === 'ready',
      { message: 'l1, l3, l4 closed; l0, l2, l5 and the new link ready', timeoutMs: 10_000 },
    );
    expect(inspectorClosed).toBe(true);
    expect(errors).toEqual([]);
    await supervisor.close();
    for (const link of [...links, extra as Link]) expect(link.state).toBe('closed');
  });
});
