/**
 * The supervisor's secrets index (src/runtime/supervisor-secrets.ts) kept up to date across turns:
 * every error is scrubbed of what a from-scratch index over the same links would find.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { nextTurn } from '../helpers/wait.js';

describe("the supervisor's secrets index across turns", () => {
  it('an ended link let go at the end of a turn, a link booked the next: its token is scrubbed', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    network.listen('mem://feed');
    const supervisor = createSupervisor({ clock, transport: network.transport, heartbeat: false });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const scrub = (supervisor as unknown as { secrets: { redact(text: string): string } }).secrets.redact;
    // A link without a secret ends; an error in its turn (the index is built: one link, ended).
    const plain = supervisor.connect('mem://feed');
    await clock.advance(0);
    const closed = plain.close();
    await clock.advance(1_000);
    await closed;
    scrub('an error');
    // At the end of the turn the ended link is let go (it knew no secret); the index is kept
    // (used in the turn). The next turn a link is booked with a bearer token, and an error quotes it.
    await nextTurn();
    const token = 'BookedLinkToken42xyz';
    supervisor.on('link', () => {
      throw new Error(`near ${token}`);
    });
    supervisor.connect('mem://feed', { headers: { Authorization: `Bearer ${token}` } });
    expect(errors).toHaveLength(1);
    expect(inspect(errors[0], { depth: 10 })).not.toContain(token);
    await supervisor.close();
  });
});
