/**
 * The supervisor's secrets index (src/runtime/supervisor-secrets.ts, src/util/secret-index.ts) is
 * kept up to date as links come and go and note secrets, not rebuilt. Counted, not timed: the
 * static lists built (staticSecrets: a link that has made no attempt yet) and the strings put in
 * the index.
 *
 * A `url()` that rejects for every link (first attempts): the links never connect, so their
 * secrets are their options' static ones. Before (round 46): the static lists were kept for a turn
 * only and the index rebuilt once a turn while a booked link was in it; the storm spans many turns,
 * so each turn built every link's list and indexed every secret again (4,000 links: 16.1 s of CPU
 * where round 45 spent 1.4 s; 300 links here: 7 × the lists and strings of one build).
 * A churn (links connect, error, close, for many turns, errors every turn so the index is kept):
 * what the index holds stays bounded by the live links and the last KEPT_ENDED ended ones.
 */
import { describe, expect, it, vi } from 'vitest';
import { createSupervisor, type Link } from '../../src/index.js';
import { SupervisorSecrets } from '../../src/runtime/supervisor-secrets.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { SecretSet } from '../../src/util/secret-set.js';
import { nextTurn, waitFor } from '../helpers/wait.js';

/** Lists built: secretsOf calls (staticSecrets makes one a list; no attempt here notes a URL). */
let built = 0;
vi.mock('../../src/util/redact.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/redact.js')>();
  return {
    ...real,
    secretsOf: (url: string | undefined) => {
      built++;
      return real.secretsOf(url);
    },
  };
});

/** Strings put in an index: built whole (headIndex) or added to one (HeadIndex.add). */
let indexed = 0;
vi.mock('../../src/util/secret-index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/secret-index.js')>();
  const proto = (real as { HeadIndex?: { prototype: { add(list: readonly string[]): void } } }).HeadIndex
    ?.prototype;
  if (proto) {
    const add = proto.add;
    proto.add = function (this: unknown, list: readonly string[]) {
      indexed += list.length;
      return add.call(this, list);
    };
  }
  return {
    ...real,
    headIndex: (lists: readonly (readonly string[])[]) => {
      // Counted by add when the index is kept up to date; else here.
      if (!proto) indexed += lists.reduce((n, list) => n + list.length, 0);
      return real.headIndex(lists);
    },
  };
});

const LINKS = 300;
const tokenOf = (n: number) => `${n.toString(36)}IndexToken${n}x`;

/** What the supervisor's scrub holds (its private SupervisorSecrets' parts, where they exist). */
function held(supervisor: unknown): {
  secrets: number;
  lists: number;
  listed: number;
  links: number;
  statics: number;
} {
  const secrets = (supervisor as { secrets: Record<string, unknown> }).secrets;
  const size = (part: unknown) => (part as { size?: number } | undefined)?.size ?? 0;
  // Round 46's code kept the lists of its index in `built`.
  const lists =
    (secrets.counts as Map<readonly string[], number> | undefined)?.keys() ??
    (secrets.built as (readonly string[])[] | undefined) ??
    [];
  return {
    secrets: size(secrets.index),
    lists: size(secrets.counts),
    listed: [...lists].reduce((n, list) => n + list.length, 0),
    links: size(secrets.of),
    statics: size(secrets.statics),
  };
}

describe("the supervisor's secrets index is kept up to date, not rebuilt", () => {
  it('a url() that rejects for every link: each static list built once, each secret indexed once', async () => {
    const network = createMemoryNetwork({ inProcess: false });
    network.listen('mem://storm');
    const supervisor = createSupervisor({
      transport: network.transport,
      backoff: { jitter: 'none', initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const reasons: string[] = [];
    built = 0;
    indexed = 0;
    // The supervisor's own scrub asked every turn as well: the index is never dropped for a turn
    // without an error (a busy host may leave one between the links' start slices).
    const scrub = (supervisor as unknown as { secrets: { redact(text: string): string } }).secrets.redact;
    let storming = true;
    const everyTurn = () => {
      scrub('a turn');
      if (storming) setImmediate(everyTurn);
    };
    everyTurn();
    const links = Array.from({ length: LINKS }, (_, n) => {
      // The token of the link before: each error quotes another link's secret.
      const link = supervisor.connect(
        () => Promise.reject(new Error(`no url for ${tokenOf((n + LINKS - 1) % LINKS)}`)),
        {
          headers: { Authorization: `Bearer ${tokenOf(n)}` },
        },
      );
      link.on('reconnecting', ({ reason }) => reasons.push(reason.message ?? ''));
      return link;
    });
    await waitFor(() => reasons.length >= LINKS, { message: "every link's first attempt failed" });
    expect(reasons.filter((reason) => reason.includes('IndexToken'))).toEqual([]);
    // One list a link, built once; the strings of those lists (each link's forms of its token)
    // indexed once (300 and 5,730). Before: 2,100 lists and 40,110 strings (a build a turn, 7 turns).
    const { listed } = held(supervisor);
    storming = false;
    expect(listed).toBeGreaterThanOrEqual(LINKS);
    expect(built).toBeLessThanOrEqual(LINKS + 10);
    expect(indexed).toBeLessThanOrEqual(listed * 1.1);
    void links;
    await supervisor.close();
  });

  it('a churn: links connect, their listener throws, they close, for many turns: the index stays bounded', async () => {
    const network = createMemoryNetwork({ inProcess: false });
    network.listen('mem://churn');
    const supervisor = createSupervisor({ transport: network.transport });
    // An error every turn (a listener every link shares throws on `ready`; between those, the
    // supervisor's own scrub is asked): the index is kept all along, never dropped and rebuilt.
    let churning = true;
    const scrub = (supervisor as unknown as { secrets: { redact(text: string): string } }).secrets.redact;
    const everyTurn = () => {
      scrub('a turn');
      if (churning) setImmediate(everyTurn);
    };
    everyTurn();
    const errors: string[] = [];
    const quoted: string[] = [];
    const most = { secrets: 0, lists: 0, listed: 0, links: 0, statics: 0 };
    const LIVE = 10;
    let live: Link[] = [];
    for (let round = 0; round < 30; round++) {
      // Quotes the token of a link of this round (live: scrubbed).
      const token = tokenOf(round * LIVE + 1);
      quoted.push(token);
      const throws = () => {
        throw new Error(`listener threw near ${token}`);
      };
      const made = Array.from({ length: LIVE }, (_, n) => {
        const link = supervisor.connect('mem://churn', {
          headers: { Authorization: `Bearer ${tokenOf(round * LIVE + n)}` },
        });
        link.on('ready', throws);
        link.on('error', (error) => errors.push(JSON.stringify(error.cause, ['message'])));
        return link;
      });
      await Promise.all(made.map((link) => link.ready()));
      await Promise.all(live.map((link) => link.close()));
      live = made;
      // The memory transport settles all this in microtasks: a turn passes here.
      await nextTurn();
      const now = held(supervisor);
      for (const key of Object.keys(most) as (keyof typeof most)[]) most[key] = Math.max(most[key], now[key]);
    }
    churning = false;
    // Secrets of the links of round 1 (ended long ago) are no longer held; the last round's are.
    expect(scrub(tokenOf(LIVE + 3))).toBe(tokenOf(LIVE + 3));
    expect(scrub(tokenOf(29 * LIVE + 3))).not.toContain(tokenOf(29 * LIVE + 3));
    expect(errors.length).toBeGreaterThanOrEqual(30 * LIVE);
    expect(errors.filter((error) => quoted.some((token) => error.includes(token)))).toEqual([]);
    // 300 links with a token each went through: at most the live ones (two rounds while one
    // closes), this turn's ended and the last KEPT_ENDED (16) before it are held.
    const forms = 20; // of a token (19 here: hex, base64 at 3 alignments, percent-encoded, with `Bearer `)
    expect(most.links).toBeGreaterThan(0);
    expect(most.links).toBeLessThanOrEqual(2 * LIVE + LIVE + 16);
    expect(most.lists).toBeLessThanOrEqual(most.links);
    expect(most.statics).toBeLessThanOrEqual(2 * LIVE);
    expect(most.secrets).toBeLessThanOrEqual((2 * LIVE + LIVE + 16) * forms);
    await Promise.all(live.map((link) => link.close()));
    await supervisor.close();
  });

  it("a link's attempt notes a fresh token between errors: its list is replaced, the links not walked", () => {
    // Before: each noted secret made the next error walk every link (2,000 notes and errors with
    // 4,000 links: 1.1 s of CPU after the index was kept up to date, 4.5 s in round 46).
    const sets: SecretSet[] = [];
    const live = (token: string) => {
      const secretSet = new SecretSet();
      secretSet.addFrom('ws://h/feed', { Authorization: `Bearer ${token}` }, [token]);
      sets.push(secretSet);
      return { wireOrSource: { secretSet, config: {} } } as unknown as Link;
    };
    const links = new Map(Array.from({ length: LINKS }, (_, n) => [`l${n}`, live(tokenOf(n))]));
    const secrets = new SupervisorSecrets(links);
    expect(secrets.redact(tokenOf(3))).toBe('[redacted]');
    let walks = 0;
    const values = links.values.bind(links);
    links.values = () => {
      walks++;
      return values();
    };
    for (let n = 0; n < 200; n++) {
      const fresh = `Fresh${n}Token${n}x`;
      (sets[n] as SecretSet).addFrom(`ws://h/feed?n=${n}`, { Authorization: `Bearer ${fresh}` }, [fresh]);
      expect(secrets.redact(`near ${fresh} and ${tokenOf(n)}`)).toBe('near [redacted] and [redacted]');
    }
    expect(walks).toBe(0);
    // A set no link of these holds (another supervisor's link) changes: walked once, no harm.
    new SecretSet().addFrom('ws://h/other', { Authorization: 'Bearer ElsewhereToken1' }, ['ElsewhereToken1']);
    expect(secrets.redact('ElsewhereToken1')).toBe('ElsewhereToken1');
    expect(walks).toBe(1);
    // A link's first secret (a set it had not): walked, and scrubbed.
    const first = links.get('l9') as unknown as { wireOrSource: { secretSet: SecretSet | null } };
    first.wireOrSource.secretSet = new SecretSet();
    first.wireOrSource.secretSet.addFrom('ws://h/feed', { Authorization: 'Bearer NewSetToken9' }, [
      'NewSetToken9',
    ]);
    expect(secrets.redact('NewSetToken9')).toBe('[redacted]');
    expect(walks).toBe(2);
  });
});
