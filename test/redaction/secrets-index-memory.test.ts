/**
 * What the supervisor's secrets index (src/runtime/supervisor-secrets.ts) keeps: nothing of a link
 * after its turn (and the last KEPT_ENDED that knew a secret), however long errors come every turn;
 * the journal of SecretSet changes (src/util/secret-set.ts) keeps no set (WeakRefs), and a change
 * of a set collected since is skipped without a walk of the links. Checked with WeakRefs after a
 * full GC.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { LinkBooking } from '../../src/runtime/link-parts.js';
import { SupervisorSecrets } from '../../src/runtime/supervisor-secrets.js';
import type { WireConfig } from '../../src/runtime/wire-config.js';
import { SecretSet } from '../../src/util/secret-set.js';
import { waitFor } from '../helpers/wait.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const tokenOf = (n: number) => `ChurnToken${n}x${(n * 7919).toString(36)}`;
/** A link booked with its own config: a bearer-like token in its URL's query. */
const booked = (n: number) =>
  ({
    wireOrSource: new LinkBooking(
      `l${n}`,
      {
        wire: { url: `ws://h/feed?key=${tokenOf(n)}`, headerSupport: null } as unknown as WireConfig,
      } as never,
      0,
    ),
  }) as unknown as Link;
const sizes = (secrets: SupervisorSecrets) => {
  const parts = secrets as unknown as Record<string, { size: number } | undefined>;
  return ['index', 'counts', 'of', 'statics', 'bySet', 'ended'].map((part) => {
    const value = parts[part] as unknown;
    return Array.isArray(value) ? value.length : ((value as { size?: number } | undefined)?.size ?? 0);
  });
};

describe("what the supervisor's secrets index keeps", () => {
  it('a churn (one link ends, one comes, an error every turn, as many links all along): bounded, the ended links collected', async () => {
    const LIVE = 20;
    const links = new Map<string, Link>();
    for (let n = 0; n < LIVE; n++) links.set(`l${n}`, booked(n));
    const secrets = new SupervisorSecrets(links);
    const gone: WeakRef<object>[] = [];
    const most = [0, 0, 0, 0, 0, 0];
    const churn = (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const [id, oldest] = links.entries().next().value as [string, Link];
        links.delete(id);
        secrets.linkEnded(oldest);
        gone.push(new WeakRef(oldest), new WeakRef(oldest.wireOrSource));
        links.set(`l${n}`, booked(n));
        // The error quotes the link that came and one that has been live all along.
        const text = `near ${tokenOf(n)} and ${tokenOf(n - 5)}`;
        expect(secrets.redact(text)).toBe('near [redacted] and [redacted]');
      }
    };
    for (let n = LIVE; n < LIVE + 200; n++) {
      churn(n, n + 1);
      await turn();
      sizes(secrets).forEach((size, part) => {
        most[part] = Math.max(most[part] as number, size);
      });
    }
    // The live links' lists, this turn's ended one: not one a link that went through.
    expect(most[1]).toBeLessThanOrEqual(LIVE + 1);
    expect(most[2]).toBeLessThanOrEqual(LIVE + 1);
    expect(most[3]).toBeLessThanOrEqual(LIVE + 1);
    expect(most[5]).toBeLessThanOrEqual(1);
    // Every ended link (but this turn's last) collected, its config with it.
    await turn();
    await waitFor(
      () => {
        gc();
        return gone.slice(0, -2).every((ref) => ref.deref() === undefined);
      },
      { message: 'every ended link collected' },
    );
    // A quiet turn: all dropped.
    await turn();
    await turn();
    expect(sizes(secrets).slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
  });

  it("the journal keeps no SecretSet; a collected one's change costs no walk", async () => {
    const set = new SecretSet();
    set.addFrom('ws://h/feed?key=LiveLinkToken1x');
    const links = new Map([['l1', { wireOrSource: { secretSet: set, config: {} } } as unknown as Link]]);
    const secrets = new SupervisorSecrets(links);
    expect(secrets.redact('LiveLinkToken1x')).toBe('[redacted]');
    let walks = 0;
    const values = links.values.bind(links);
    links.values = () => {
      walks++;
      return values();
    };
    // A set no link holds notes a secret (the journal holds it weakly), and is collected before
    // the next error: the next turn (the index kept: it was used in this one).
    const ref = (() => {
      const other = new SecretSet();
      other.addFrom('ws://h/feed?key=CollectedToken1x');
      return new WeakRef(other);
    })();
    const [collected, shown] = await new Promise<[boolean, string]>((resolve) =>
      setImmediate(() => {
        gc();
        resolve([ref.deref() === undefined, secrets.redact('LiveLinkToken1x and CollectedToken1x')]);
      }),
    );
    expect(collected).toBe(true);
    expect(shown).toBe('[redacted] and CollectedToken1x');
    expect(walks).toBe(0);
    // The live link's set changes (a fresh token): its list replaced, no walk.
    set.addFrom('ws://h/feed?key=FreshLiveToken2x');
    expect(secrets.redact('FreshLiveToken2x LiveLinkToken1x')).toBe('[redacted] [redacted]');
    expect(walks).toBe(0);
  });
});
