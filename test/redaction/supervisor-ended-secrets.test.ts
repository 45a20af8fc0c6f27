/**
 * The limit of what the supervisor's `error` events are scrubbed of (src/runtime/supervisor-secrets.ts,
 * docs/errors.md "What `cause` is"): every link that ended in this turn (until the event loop's
 * next `setImmediate`), and the last 16 that ended before, not every link it ever had (a fleet
 * that churns keeps no secret for ever). On the memory transport and a simulated clock: the test
 * chooses where a turn ends (`nextTurn()`).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { nextTurn } from '../helpers/wait.js';

const tokenOf = (n: number) => `EndedLinkToken${String(n).padStart(2, '0')}xyz`;

/** A supervisor with `count` ready links on the memory network, each with its own bearer token. */
async function readyLinks(count: number) {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock });
  network.listen('mem://feed');
  const supervisor = createSupervisor({ clock, transport: network.transport, heartbeat: false });
  const links = Array.from({ length: count }, (_, n) =>
    supervisor.connect('mem://feed', { headers: { Authorization: `Bearer ${tokenOf(n)}` } }),
  );
  await clock.advance(0);
  for (const link of links) expect(link.state).toBe('ready');
  const errors: LinkvisorError[] = [];
  supervisor.on('error', (error) => errors.push(error));
  return { clock, supervisor, links, errors };
}

describe("the supervisor's error events: secrets of the links that ended", () => {
  it('17 links ended each in a turn of its own: the last 16 tokens redacted, the first one not (the documented bound)', async () => {
    const { clock, supervisor, links, errors } = await readyLinks(17);
    for (const link of links) {
      const closed = link.close();
      await clock.advance(1_000);
      await closed;
      await nextTurn();
    }
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

  it('20 links ended in one turn: an error after awaits in that turn shows none; the next turn, the bound again', async () => {
    const { clock, supervisor, links, errors } = await readyLinks(20);
    const all = links.map((_, n) => tokenOf(n)).join(' ');
    supervisor.on('link', () => {
      throw new Error(`tokens: ${all}`);
    });
    const closed = Promise.all(links.map((link) => link.close()));
    await clock.advance(1_000);
    await closed;
    // An async listener's `await`-then-throw: later microtasks of the same turn.
    for (let n = 0; n < 5; n++) await Promise.resolve();
    supervisor.connect('mem://feed');
    expect(errors).toHaveLength(1);
    const shown = inspect(errors[0], { depth: 10 });
    for (let n = 0; n < 20; n++) expect(shown).not.toContain(tokenOf(n));
    await nextTurn();
    supervisor.connect('mem://feed');
    expect(errors).toHaveLength(2);
    const later = inspect(errors[1], { depth: 10 });
    for (let n = 0; n < 4; n++) expect(later).toContain(tokenOf(n));
    for (let n = 4; n < 20; n++) expect(later).not.toContain(tokenOf(n));
    const closing = supervisor.close();
    await clock.advance(1_000);
    await closing;
  });

  it('a link with a token, then 16 links with none, each ended in a turn of its own: the token is still redacted (the 16 are those that knew a secret)', async () => {
    const { clock, supervisor, links, errors } = await readyLinks(1);
    const plain = Array.from({ length: 16 }, () => supervisor.connect('mem://feed'));
    await clock.advance(0);
    for (const link of [...links, ...plain]) {
      expect(link.state).toBe('ready');
      const closed = link.close();
      await clock.advance(1_000);
      await closed;
      await nextTurn();
    }
    supervisor.on('link', () => {
      throw new Error(`token: ${tokenOf(0)}`);
    });
    supervisor.connect('mem://feed');
    expect(errors).toHaveLength(1);
    expect(inspect(errors[0], { depth: 10 })).not.toContain(tokenOf(0));
    const closing = supervisor.close();
    await clock.advance(1_000);
    await closing;
  });
});
