/**
 * A storm of errors from the application's code, one for each of a supervisor's links (a listener
 * they all share that throws on `reconnecting` when they are all dropped; a `url()` that rejects
 * for each): each error's text is scrubbed of every link's secrets (src/runtime/link-wire.ts
 * `redactUser`, src/runtime/supervisor-secrets.ts), and the links are walked again only when their
 * secrets changed, not at each error. Before: every scrub walked every link (its lists, then the
 * comparison with the index's), links × errors: 4,000 links dropped, about 20 s of CPU at load 10
 * on 2 cores where round 45 spent 1 s. Counted, not timed: the walks of the supervisor's links map.
 * The memory transport (in-process, no connect shortcut).
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type Link, type LinkvisorError } from '../../src/index.js';
import { HEADER_SUPPORT } from '../../src/runtime/attempt-headers.js';
import { LinkBooking } from '../../src/runtime/link-parts.js';
import type { LinkTemplate } from '../../src/runtime/link-template.js';
import type { Supervisor } from '../../src/runtime/supervisor.js';
import { SupervisorSecrets } from '../../src/runtime/supervisor-secrets.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { SecretSet } from '../../src/util/secret-set.js';
import { waitFor } from '../helpers/wait.js';

const LINKS = 300;
const tokenOf = (n: number) => `${n.toString(36)}StormToken${n}x`;

/** Counts the walks of a supervisor's live links (its `links` map's values()). */
function countWalks(supervisor: Supervisor): { walks: number } {
  const counted = { walks: 0 };
  const links = (supervisor as unknown as { links: Map<string, Link> }).links;
  const values = links.values.bind(links);
  links.values = () => {
    counted.walks++;
    return values();
  };
  return counted;
}

describe("a storm of the application's errors: the supervisor's scrub walks its links once", () => {
  it('a listener every link shares throws on reconnecting when all are dropped', async () => {
    const network = createMemoryNetwork({ inProcess: false });
    const server = network.listen('mem://storm');
    const supervisor = createSupervisor({
      transport: network.transport,
      backoff: { jitter: 'none', initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const errors: LinkvisorError[] = [];
    const shared = () => {
      // Quotes another link's token: scrubbed all the same.
      throw new Error(`listener threw near ${tokenOf(7)}`);
    };
    const links = Array.from({ length: LINKS }, (_, n) => {
      const link = supervisor.connect('mem://storm', { headers: { Authorization: `Bearer ${tokenOf(n)}` } });
      link.on('error', (error) => errors.push(error));
      link.on('reconnecting', shared);
      return link;
    });
    await Promise.all(links.map((link) => link.ready()));
    const counted = countWalks(supervisor as unknown as Supervisor);
    server.dropAll();
    await waitFor(() => errors.length >= LINKS, { message: 'every link reported its listener error' });
    // Before: one walk (at least) per error.
    expect(counted.walks).toBeLessThan(LINKS / 10);
    for (const error of errors.slice(-3))
      expect(JSON.stringify(error.cause, ['message'])).not.toContain(tokenOf(7));
    await supervisor.close();
  });

  it('a url() that rejects for every link quoting its token', async () => {
    const network = createMemoryNetwork({ inProcess: false });
    network.listen('mem://storm');
    const supervisor = createSupervisor({
      transport: network.transport,
      backoff: { jitter: 'none', initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const counted = countWalks(supervisor as unknown as Supervisor);
    const reasons: string[] = [];
    const links = Array.from({ length: LINKS }, (_, n) => {
      // The token of the link before: each error quotes another link's secret.
      const link = supervisor.connect(() => Promise.reject(new Error(`no url for ${tokenOf(n - 1)}`)), {
        headers: { Authorization: `Bearer ${tokenOf(n)}` },
      });
      link.on('reconnecting', ({ reason }) => reasons.push(reason.message ?? ''));
      return link;
    });
    await waitFor(() => reasons.length >= LINKS, { message: "every link's first attempt failed" });
    expect(counted.walks).toBeLessThan(LINKS / 10);
    expect(reasons.slice(-3).join(' ')).not.toMatch(/StormToken/);
    expect(reasons.join(' ')).not.toContain(tokenOf(LINKS - 2));
    void links;
    await supervisor.close();
  });

  it('links walked once are walked again when one is added, one ends or a secret is noted', () => {
    const live = (token: string) => {
      const secretSet = new SecretSet();
      secretSet.addFrom('ws://h/feed', { Authorization: `Bearer ${token}` }, [token]);
      return { wireOrSource: { secretSet, config: {} } } as unknown as Link;
    };
    const links = new Map(Array.from({ length: 100 }, (_, n) => [`l${n}`, live(tokenOf(n))]));
    const secrets = new SupervisorSecrets(links);
    expect(secrets.redact(tokenOf(3))).not.toContain(tokenOf(3));
    // Booked in the same turn, its token a static header.
    const config = {
      url: 'ws://h/feed',
      headers: { Authorization: 'Bearer BookedLater9x' },
      headerSupport: HEADER_SUPPORT,
    };
    links.set('b', {
      wireOrSource: new LinkBooking('b', { wire: config } as unknown as LinkTemplate, 0),
    } as unknown as Link);
    expect(secrets.redact('BookedLater9x')).not.toContain('BookedLater9x');
    // A live link's attempt notes a new token.
    const set = (links.get('l5') as unknown as { wireOrSource: { secretSet: SecretSet } }).wireOrSource
      .secretSet;
    set.addFrom('ws://h/feed', { Authorization: 'Bearer NotedLater8x' }, ['NotedLater8x']);
    expect(secrets.redact('NotedLater8x')).not.toContain('NotedLater8x');
    // One ends (kept this turn) while another is added: the same count, walked again all the same.
    const ended = links.get('l6') as Link;
    links.delete('l6');
    secrets.linkEnded(ended);
    const added = { ...config, headers: { Authorization: 'Bearer AddedLater7x' } };
    links.set('c', {
      wireOrSource: new LinkBooking('c', { wire: added } as unknown as LinkTemplate, 0),
    } as unknown as Link);
    expect(secrets.redact(`${tokenOf(6)} AddedLater7x`)).toBe('[redacted] [redacted]');
  });
});
