/**
 * The limit of what the supervisor's `error` events are scrubbed of (src/runtime/supervisor-secrets.ts,
 * docs/errors.md "What `cause` is"): the secrets of the last 16 links that ended, not of every link
 * it ever had (a fleet that churns keeps no secret for ever). 17 links, each with its own bearer
 * header, all closed; then a `closed` listener quotes every token: the last 16 are redacted, the
 * first is not. On the memory transport and a simulated clock.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

const tokenOf = (n: number) => `EndedLinkToken${String(n).padStart(2, '0')}xyz`;

describe("the supervisor's error events: secrets of the last 16 ended links", () => {
  it('17 links ended: the last 16 tokens redacted, the first one not (the documented bound)', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    network.listen('mem://feed');
    const supervisor = createSupervisor({ clock, transport: network.transport, heartbeat: false });
    const links = Array.from({ length: 17 }, (_, n) =>
      supervisor.connect('mem://feed', { headers: { Authorization: `Bearer ${tokenOf(n)}` } }),
    );
    await clock.advance(0);
    for (const link of links) expect(link.state).toBe('ready');
    for (const link of links) {
      const closed = link.close();
      await clock.advance(1_000);
      await closed;
    }
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    supervisor.on('closed', () => {
      throw new Error(`tokens: ${links.map((_, n) => tokenOf(n)).join(' ')}`);
    });
    const closing = supervisor.close();
    await clock.advance(1_000);
    await closing;
    expect(errors).toHaveLength(1);
    const shown = inspect(errors[0], { depth: 10 });
    expect(shown).toContain(tokenOf(0));
    for (let n = 1; n < 17; n++) expect(shown).not.toContain(tokenOf(n));
  });
});
