/**
 * The supervisor's secrets index kept up to date (src/runtime/supervisor-secrets.ts) against one
 * built from scratch: a seeded sequence of what its links do (booked with a config's static list,
 * shared or their own; started; an attempt noting a secret, twice in a turn, the same again;
 * ended, kept, pushed out; a close under way; a set of no link of these changing; more than the
 * journal's 64 changes at once; turns with and without errors), and after each step an error
 * holding a form of every secret that must be scrubbed. The scrub must equal a fresh
 * SupervisorSecrets' over the same links and the same ended links, and leave none of those forms.
 * Both a supervisor's links (a Map, ended links) and a group's members (an array) are run.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { LinkBooking } from '../../src/runtime/link-parts.js';
import { SupervisorSecrets } from '../../src/runtime/supervisor-secrets.js';
import type { WireConfig } from '../../src/runtime/wire-config.js';
import { SecretSet } from '../../src/util/secret-set.js';
import { prng } from '../helpers/seeded.js';

interface Fake {
  wireOrSource: LinkBooking | { secretSet: SecretSet | null; config: WireConfig };
}
type Inside = {
  ended: [SecretSet | null, WireConfig][];
  of: Map<object, readonly string[]>;
};

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
let tokens = 0;
const fresh = (what: string) => `${what}${++tokens}Tk${(tokens * 7919).toString(36)}x`;
const configOf = (secret: boolean): WireConfig =>
  ({
    url: secret ? `ws://h/feed?key=${fresh('Static')}` : 'ws://h/plain',
    protocols: secret ? [fresh('Proto')] : undefined,
    headerSupport: null,
  }) as unknown as WireConfig;

async function run(seed: number, group: boolean): Promise<number> {
  const pick = prng(seed);
  const one = <T>(of: readonly T[]): T => of[Math.floor(pick() * of.length)] as T;
  const shared = [configOf(true), configOf(true), configOf(false)];
  const map = new Map<string, Fake>();
  const members: Fake[] = [];
  const live = () => (group ? members : [...map.values()]);
  const secrets = new SupervisorSecrets((group ? members : map) as unknown as Map<string, Link>);
  const inside = secrets as unknown as Inside;
  const others = [new SecretSet(), new SecretSet()];
  let ids = 0;
  let releases: (() => void)[] = [];
  let checked = 0;
  const note = (link: Fake, again = false) => {
    const wire = link.wireOrSource;
    if (wire instanceof LinkBooking) return;
    wire.secretSet ??= new SecretSet();
    wire.secretSet.addFrom(again ? 'ws://h/feed?again=SameAgainTok1x' : `ws://h/feed?t=${fresh('Noted')}`);
  };
  const steps: [number, () => void | Promise<void>][] = [
    // A link booked: a config's static list, shared or its own (or none).
    [
      6,
      () => {
        const link: Fake = {
          wireOrSource: new LinkBooking(
            `l${++ids}`,
            { wire: pick() < 0.6 ? one(shared) : configOf(pick() < 0.8) } as never,
            0,
          ),
        };
        if (group) members.push(link);
        else map.set(`l${ids}`, link);
        // A group member given twice (its array is the group's).
        if (group && pick() < 0.1) members.push(link);
      },
    ],
    // A booked link starts (its wire: no secret noted yet).
    [
      4,
      () => {
        const link = one(live().filter((l) => l.wireOrSource instanceof LinkBooking));
        if (link)
          link.wireOrSource = { secretSet: null, config: (link.wireOrSource as LinkBooking).template.wire };
      },
    ],
    // An attempt notes a secret; sometimes two in a row (one turn), sometimes the same again.
    [
      6,
      () => {
        const link = one(live());
        if (!link) return;
        note(link, pick() < 0.15);
        if (pick() < 0.3) note(link);
      },
    ],
    // A link ends (a supervisor's: it leaves the map for the ended links).
    [
      group ? 0 : 4,
      () => {
        const [id, link] = one([...map]) ?? [];
        if (!link) return;
        map.delete(id as string);
        secrets.linkEnded(link as unknown as Link);
      },
    ],
    [5, turn],
    // A turn without an error (the index is dropped after it).
    [
      1,
      async () => {
        await turn();
        await turn();
      },
    ],
    // A close begins, or the last begun is over.
    [
      group ? 0 : 1,
      () => {
        if (releases.length && pick() < 0.6) (releases.pop() as () => void)();
        else releases.push(secrets.hold());
      },
    ],
    // Another supervisor's link notes a secret.
    [1, () => one(others).addFrom(`ws://h/other?t=${fresh('Other')}`)],
    // More changes than the journal holds, between two errors.
    [
      1,
      () => {
        const links = live();
        for (let n = 0; n < 70; n++) {
          const link = one(links);
          if (link && pick() < 0.5) note(link);
          else one(others).addFrom(`ws://h/other?t=${fresh('Burst')}`);
        }
      },
    ],
  ];
  const weights = steps.reduce((sum, [weight]) => sum + weight, 0);
  for (let step = 0; step < 250; step++) {
    let roll = pick() * weights;
    const [, act] = steps.find(([weight]) => {
      roll -= weight;
      return roll < 0;
    }) as (typeof steps)[number];
    await act();
    if (pick() < 0.25) continue; // no error this step
    // A from-scratch index over the same links and ended links: the secrets that must go.
    const scratch = new SupervisorSecrets(
      (group ? [...members] : new Map(map)) as unknown as Map<string, Link>,
    );
    (scratch as unknown as Inside).ended.push(...inside.ended);
    scratch.redact('');
    const lists = [...(scratch as unknown as Inside).of.values()];
    const forms = lists.map((list) => one(list));
    let text = `error: ${forms.join(' | ')} |`;
    // One cut short at the end (as a message shortened with `…`).
    const cut = forms.find((form) => form.length > 12);
    if (cut && pick() < 0.3) text += ` ${cut.slice(0, 10)}…`;
    const scrubbed = secrets.redact(text);
    expect(scrubbed, `seed ${seed} step ${step}`).toBe(scratch.redact(text));
    for (const form of forms) expect(scrubbed, `seed ${seed} step ${step}`).not.toContain(form);
    checked++;
  }
  for (const release of releases) release();
  releases = [];
  await turn();
  await turn();
  return checked;
}

describe("the supervisor's secrets index equals one built from scratch", () => {
  it("a supervisor's links: 20 seeded sequences of 250 steps", async () => {
    let checked = 0;
    for (let seed = 1; seed <= 20; seed++) checked += await run(seed, false);
    expect(checked).toBeGreaterThan(20 * 150);
  });

  it("a group's members (an array): 10 seeded sequences of 250 steps", async () => {
    let checked = 0;
    for (let seed = 101; seed <= 110; seed++) checked += await run(seed, true);
    expect(checked).toBeGreaterThan(10 * 150);
  });
});
