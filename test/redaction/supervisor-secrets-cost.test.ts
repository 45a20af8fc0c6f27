/**
 * The cost of scrubbing a supervisor's `error` event (src/runtime/supervisor-secrets.ts): with
 * 10,000 links each with its own bearer token, one error's text is compared with the few secrets
 * whose first characters it holds, not with every link's (before: every scrub of every field of
 * the cause rebuilt and sorted the 10,000 links' forms and searched the text for each: about 2 s
 * per error at load 11 on 2 cores). Counted, not timed: the strings replaceEach is given, and the
 * strings the head index is built from (src/util/secret-index.ts): a list shared by many links
 * (booked links of one template with a static bearer header) is indexed once, and an error in a
 * later turn reuses the index while no link's list changed (before: rebuilt at every turn), and
 * updates it when one did (before round 47: rebuilt).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { HEADER_SUPPORT } from '../../src/runtime/attempt-headers.js';
import type { Link } from '../../src/runtime/link.js';
import { LinkBooking } from '../../src/runtime/link-parts.js';
import type { LinkTemplate } from '../../src/runtime/link-template.js';
import { SupervisorSecrets } from '../../src/runtime/supervisor-secrets.js';
import { SecretSet } from '../../src/util/secret-set.js';
import { nextTurn } from '../helpers/wait.js';

const given: number[] = [];
vi.mock('../../src/util/redact-text.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/redact-text.js')>();
  return {
    ...real,
    replaceEach: (text: string, strings: readonly string[]) => {
      given.push(strings.length);
      return real.replaceEach(text, strings);
    },
  };
});

/** The number of strings put in each head index (a list added once, whichever links hold it),
 * and the lists of the last one. */
const indexed: number[] = [];
let lastLists: (readonly string[])[] = [];
let lastIndex: WeakRef<object> | undefined;
vi.mock('../../src/util/secret-index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/secret-index.js')>();
  class CountedIndex extends real.HeadIndex {
    constructor() {
      super();
      indexed.push(0);
      lastLists = [];
      lastIndex = new WeakRef(this);
    }
    override add(list: readonly string[]): void {
      if (lastIndex?.deref() === this) {
        indexed[indexed.length - 1] = (indexed.at(-1) as number) + list.length;
        lastLists.push(list);
      }
      super.add(list);
    }
  }
  return { ...real, HeadIndex: CountedIndex };
});

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A link `connect()` booked and has not started, with these options. */
function bookedWith(config: object): Link {
  return {
    wireOrSource: new LinkBooking('x', { wire: config } as unknown as LinkTemplate, 0),
  } as unknown as Link;
}

const tokenOf = (n: number) => `FleetToken${n}x${'q'.repeat(12)}`;

/** The options of links with no static secret (their URL has none, headers come from a function). */
const CONFIG = { url: 'ws://h/feed', headers: () => ({}), headerSupport: null };

/** A live link as the supervisor holds it: its wire, whose SecretSet an attempt filled. */
function linkWith(token: string): Link {
  const secretSet = new SecretSet();
  secretSet.addFrom('ws://h/feed', { Authorization: `Bearer ${token}` }, [token]);
  return { wireOrSource: { secretSet, config: CONFIG } } as unknown as Link;
}

describe("the supervisor's error scrub: cost with 10,000 links", () => {
  it('one error quoting one token (raw, percent, JSON-escaped, cut short) is compared with that one only', () => {
    const links = new Map(Array.from({ length: 10_000 }, (_, n) => [`l${n}`, linkWith(tokenOf(n))]));
    const secrets = new SupervisorSecrets(links);
    given.length = 0;
    const token = tokenOf(4242);
    const text = `listener failed for ${token} and ${JSON.stringify(token).replace('T', '\\u0054')} ${token.slice(0, 15)}…`;
    const shown = secrets.redact(text);
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(token.slice(0, 15));
    expect(shown).not.toContain('\\u0054');
    expect(Math.max(...given)).toBeLessThan(10);
    given.length = 0;
    expect(secrets.redact('x'.repeat(10_000))).toBe('x'.repeat(10_000));
    expect(Math.max(0, ...given)).toBe(0);
  });

  it('10,000 booked links of one template: their static secrets indexed once', async () => {
    const config = {
      url: 'ws://h/feed',
      headers: { Authorization: 'Bearer SharedTemplateToken9' },
      headerSupport: HEADER_SUPPORT,
    };
    const booked = bookedWith(config);
    const links = Array.from({ length: 10_000 }, () => booked);
    const secrets = new SupervisorSecrets(links);
    indexed.length = 0;
    expect(secrets.redact('quoting SharedTemplateToken9')).not.toContain('SharedTemplateToken9');
    expect(indexed).toHaveLength(1);
    expect(indexed[0]).toBeGreaterThan(0);
    expect(indexed[0]).toBeLessThan(100);
    expect(secrets.redact('again SharedTemplateToken9')).not.toContain('SharedTemplateToken9');
    expect(indexed).toHaveLength(1);
    // An error in the next turn too (a storm): the index and the static list are kept, not built
    // again (before round 47: the static lists were kept for a turn only, the index rebuilt).
    await nextTurn();
    expect(secrets.redact('later SharedTemplateToken9')).not.toContain('SharedTemplateToken9');
    expect(indexed).toHaveLength(1);
  });

  it('booked links with their own options: their static lists are not kept once the turn of the error is over', async () => {
    // Before: kept with each link's options (a WeakMap), for the link's whole life after it
    // started (about 1.6 KB a link: 16 MB for 10,000 ready links after one error while booked).
    const links = Array.from({ length: 200 }, (_, n) =>
      bookedWith({
        url: `ws://h/feed?token=OwnQuery${n}x`,
        headers: { Authorization: `Bearer ${tokenOf(n)}` },
        headerSupport: HEADER_SUPPORT,
      }),
    );
    const secrets = new SupervisorSecrets(links);
    expect(secrets.redact(`quoting ${tokenOf(5)}`)).not.toContain(tokenOf(5));
    const refs = lastLists.map((list) => new WeakRef(list));
    expect(refs).toHaveLength(200);
    lastLists = [];
    // They start: each wire's SecretSet has what its first attempt sent.
    for (const [n, link] of links.entries()) {
      const config = (link.wireOrSource as LinkBooking).template.wire;
      Object.assign(link, linkWith(tokenOf(n)), {
        wireOrSource: { ...linkWith(tokenOf(n)).wireOrSource, config },
      });
    }
    await nextTurn();
    expect(secrets.redact(`again ${tokenOf(6)}`)).not.toContain(tokenOf(6));
    lastLists = [];
    gc();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });

  it("an index is reused across turns until a link's list changes", async () => {
    const links = new Map(Array.from({ length: 1_000 }, (_, n) => [`l${n}`, linkWith(tokenOf(n))]));
    const secrets = new SupervisorSecrets(links);
    indexed.length = 0;
    secrets.redact(tokenOf(7));
    await nextTurn();
    secrets.redact(tokenOf(8));
    expect(indexed).toHaveLength(1);
    const changed = tokenOf(99_999);
    links.set('l7', linkWith(changed));
    await nextTurn();
    expect(secrets.redact(changed)).not.toContain(changed);
    // The changed list is added to the index (and the old one removed), not rebuilt (before round
    // 47: built again from every list).
    expect(indexed).toHaveLength(1);
    expect(secrets.redact(tokenOf(7))).toBe(tokenOf(7));
  });

  it('an index is dropped after a turn without an error (kept while errors come every turn)', async () => {
    // Before: kept until a link's list changed, maybe for ever after a single error (about
    // 570 B a link: 5.7 MB for 10,000 links with a bearer token, six forms each).
    const links = new Map(Array.from({ length: 1_000 }, (_, n) => [`l${n}`, linkWith(tokenOf(n))]));
    const secrets = new SupervisorSecrets(links);
    indexed.length = 0;
    secrets.redact(tokenOf(7));
    const index = lastIndex;
    for (let turn = 0; turn < 3; turn++) {
      await nextTurn();
      secrets.redact(tokenOf(turn));
    }
    expect(indexed).toHaveLength(1);
    await nextTurn();
    await nextTurn();
    gc();
    expect(index?.deref()).toBeUndefined();
    expect(secrets.redact(tokenOf(9))).not.toContain(tokenOf(9));
    expect(indexed).toHaveLength(2);
  });
});
