/**
 * What the supervisor's own `error` events (a listener of the supervisor, its `inspect` observer,
 * a watcher's callback, linkvisor/otel, its clock) are scrubbed of: its links' secrets; also its
 * links' texts of the application's (./link-wire.ts `redactUser`: a link listener's throw, a
 * `url()` function's, a custom transport's; never a drop's or a message's path). Code the
 * links share (a listener, a function passed to several links) may quote any link's bearer
 * header, `protocols` token or a secret a `headers()` function returned; the supervisor cannot
 * tell which link an error is about, so it scrubs every one's (docs/errors.md, "What `cause`
 * is"): those its live links have sent, those a link that has made no attempt yet was given as
 * values (staticSecrets), and those of the links that ended: every one that ended in this turn,
 * and the last KEPT_ENDED before it that knew one.
 *
 * A turn: from a link's end until the event loop's next `setImmediate` (a MessageChannel message
 * in browsers: ../util/next-turn.ts). The task it ended in has run to its end by then, with every
 * microtask it queued: the link's listeners, the events that follow its end in that task (a
 * `closed` when it was the last), and an async listener's or watcher callback's `await`-then-throw
 * on promises already settled. While the supervisor or a group closes, from close() until the turn
 * after it is over (its promise settled, the supervisor's `closed` emitted), every link that ends
 * is kept (its links end over several tasks, one socket close each). A link ended longer ago is
 * scrubbed by shape only (URLs' user info and query values).
 */
import { nextTurn } from '../util/next-turn.js';
import { pushSecret, secretsOf } from '../util/redact.js';
import { decodeJsonEscapes, replaceEach } from '../util/redact-text.js';
import { HEAD_CHARS, HeadIndex, START_CHARS, tally } from '../util/secret-index.js';
import { changedSince, type SecretSet, secretSetChanges } from '../util/secret-set.js';
import type { HeaderSupport } from './attempt-headers.js';
import type { Link } from './link.js';
import { LinkBooking } from './link-parts.js';
import type { LinkWire } from './link-wire.js';
import type { WireConfig } from './wire-config.js';

/** Ended links that knew a secret whose secrets are still scrubbed after their turn: bounded, so
 * a fleet that churns keeps no secret (nor the cost of scrubbing it) for ever. */
const KEPT_ENDED = 16;

/** What a link's secrets are read from, when an error needs them (nothing is read at its end):
 * its SecretSet (null before an attempt noted a secret) and its options. */
type Source = [set: SecretSet | null, config: WireConfig];

/** A link's wire (made) or booking (not: `link.wire` would make one), as its Source. */
function sourceOf(link: Link): Source {
  const wire = link.wireOrSource;
  return wire instanceof LinkBooking
    ? [null, wire.template.wire]
    : [(wire as LinkWire).secretSet, (wire as LinkWire).config];
}

/** The secrets of a config's static parts (`url`, `protocols`, `headers`, `wsOptions` given as
 * values, checked when the link was made), every form: the secrets of a link that has made no
 * attempt yet (booked, or in backoff before its first). A function has given nothing yet. */
function staticSecrets(config: WireConfig): readonly string[] {
  const value = (part: unknown) => (typeof part === 'function' ? undefined : part);
  const { url, headers, wsOptions, headerSupport: support } = config;
  const offered = [value(config.protocols) ?? []].flat() as string[];
  const found = secretsOf(value(url) ? String(url) : undefined);
  for (const protocol of offered) pushSecret(found, protocol);
  try {
    const checked = support?.check(value(headers), value(wsOptions));
    if (checked) found.push(...(support as HeaderSupport).secrets(checked.headers, offered, checked.options));
  } catch {
    // Refused when the link was made: never sent.
  }
  return found;
}

/** The secrets of a supervisor's live links and of those that ended (see the file header), or of
 * a group's members (they stay its members when they end: linkEnded is not needed). */
export class SupervisorSecrets {
  /** The links that ended: this turn's, and the last KEPT_ENDED before that knew a secret, oldest
   * first. */
  private readonly ended: Source[] = [];
  /** Closes under way (hold()): nothing is trimmed meanwhile. */
  private holds = 0;
  /** The end-of-turn pass (later()) is scheduled. */
  private due = false;
  /** The head index of the lists in `counts`, kept up to date as links come, go and note secrets
   * (a list that comes is added to it, one that goes removed: not rebuilt) while errors come
   * every turn (a storm); dropped after a turn without one, with all that follows (else kept for
   * ever: ~2.5 KB a link with a bearer header and a protocol token, counts and maps included). */
  private index: HeadIndex | undefined;
  /** Each distinct list in the index, with how many links (live or ended) it is the list of: a
   * list shared by a template's links is added once, and removed when the last of them goes. */
  private readonly counts = new Map<readonly string[], number>();
  /** Each link's (live: by Link; ended: by its Source) non-empty list, as last walked. */
  private of = new Map<object, readonly string[]>();
  /** staticSecrets by config (a template's links share one), for the links of the last walk that
   * have made no attempt yet: one that has (its SecretSet has secrets) lets its list go at the next
   * walk, and all go with the index (kept for a link's life, a list would cost 1.6 KB a link with
   * its own headers). */
  private statics = new Map<WireConfig, readonly string[]>();
  /** Whether the index was used since the last end-of-turn pass. */
  private used = false;
  /** secretSetChanges (../util/secret-set.ts) and how many links, live and ended, there were (a
   * link that ends moves from one to the other, its list with it) when the index was last brought
   * up to date. Unchanged, an error does not walk the links again: a storm of errors, one for each
   * link (a listener every link shares, a `url()` that rejects), would cost links × errors
   * (test/redaction/link-error-storm-cost.test.ts). Only SecretSets changed (an attempt noted a
   * new secret), those sets' lists replace theirs (changedSince: `bySet`); else the walk looks up
   * each link's list and adds to the index or removes from it only the lists that changed
   * (test/redaction/secrets-index-cost.test.ts). */
  private seen = -1;
  private size = -1;
  /** The live links of the last walk whose SecretSet had secrets, by their set. */
  private bySet = new Map<SecretSet, Link>();

  /** `links`: the supervisor's live links (a Map), or a group's members (an array). */
  constructor(private readonly links: ReadonlyMap<string, Link> | readonly Link[]) {}

  /** A link ended: its secrets stay scrubbed this turn, and while it is among the last KEPT_ENDED. */
  linkEnded(link: Link): void {
    if (this.ended.push(sourceOf(link)) > KEPT_ENDED) this.later();
  }

  /** A close begins (the supervisor's, a group's): the links that end stay until the function
   * returned is called (once, when the close is over), and the turn after. */
  hold(): () => void {
    this.holds++;
    return () => {
      this.holds--;
      this.later();
    };
  }

  /** Once a turn (one setImmediate) while there is something to let go of at its end: the ended
   * links beyond the last KEPT_ENDED that knew a secret (a churn of links with none pushes none
   * out), unless a close is under way; the index and what it was built from, unless it was used in
   * the turn (then checked again after the next). */
  private later(): void {
    if (this.due) return;
    this.due = true;
    nextTurn(() => {
      this.due = false;
      const count = this.ended.length;
      if (!this.holds)
        this.ended.splice(0, Infinity, ...this.ended.filter(([set]) => set?.size).slice(-KEPT_ENDED));
      // Fewer links: walked again (as many links come next turn would look like no change).
      if (count !== this.ended.length) this.size = -1;
      if (this.used) {
        this.used = false;
        this.later();
      } else {
        this.index = undefined;
        this.counts.clear();
        this.of = new Map();
        this.statics = new Map();
        this.bySet = new Map();
      }
    });
  }

  /** The index, brought up to date with the links' lists if they may have changed (`seen`). */
  private current(): HeadIndex {
    const links = this.links;
    const size = ('size' in links ? links.size : links.length) + this.ended.length;
    const changed = this.index && size === this.size ? changedSince(this.seen) : null;
    if (!changed?.every((set) => set === undefined || this.bySet.has(set))) return this.walk(size);
    // Collected (undefined): no link of these held it (bySet and `of` would keep it).
    this.seen = secretSetChanges;
    for (const set of changed) {
      const link = set && this.bySet.get(set);
      const was = link && this.of.get(link);
      if (!link || was === set.list()) continue;
      this.of.set(link, set.list());
      this.count(set.list(), 1);
      if (was) this.count(was, -1);
    }
    return this.index as HeadIndex;
  }

  /** Every link's list looked up; the index brought up to date with those that changed (or built). */
  private walk(size: number): HeadIndex {
    this.seen = secretSetChanges;
    this.size = size;
    this.index ??= new HeadIndex();
    const was = this.of;
    const statics = new Map<WireConfig, readonly string[]>();
    this.of = new Map();
    this.bySet = new Map();
    const note = (key: object, [set, config]: Source) => {
      let list = set?.size ? set.list() : statics.get(config);
      if (!list) {
        list = this.statics.get(config) ?? staticSecrets(config);
        statics.set(config, list);
      }
      if (!list.length || this.of.has(key)) return; // none, or a member given twice
      this.of.set(key, list);
      if (was.get(key) !== list) this.count(list, 1);
    };
    for (const source of this.ended) note(source, source);
    for (const link of this.links.values()) {
      const source = sourceOf(link);
      if (source[0]?.size) this.bySet.set(source[0], link);
      note(link, source);
    }
    // Counted out after the new ones are in: a link that ended keeps its list (live, then ended).
    for (const [key, list] of was) if (this.of.get(key) !== list) this.count(list, -1);
    this.statics = statics;
    return this.index as HeadIndex;
  }

  /** One link more (1) or fewer (-1) has `list`: one no link had is added to the index, one no
   * link has any more removed (counted out after what replaces it is counted in, a secret both
   * hold is not removed and added again). */
  private count(list: readonly string[], by: 1 | -1): void {
    const index = this.index as HeadIndex;
    if (tally(this.counts, list, by) === (by > 0 ? 1 : 0)) by > 0 ? index.add(list) : index.remove(list);
  }

  /** `text` with every secret of those links replaced (replaceEach, longest first): only those
   * whose start the text (or its JSON-unescaped form) holds are compared with it, so one error
   * costs its length, not links × length (test/redaction/supervisor-secrets-cost.test.ts). */
  readonly redact = (text: string): string => {
    const index = this.current();
    this.used = true;
    this.later();
    const found = new Set<string>();
    const decoded = decodeJsonEscapes(text);
    for (const shown of decoded === text ? [text] : [text, decoded])
      for (let at = 0; at < shown.length; at++) {
        if (!index.startsAt(shown, at)) continue;
        for (let length = START_CHARS; length <= HEAD_CHARS; length++)
          // Whole at `at`, or cut short by the end of the text (maybe then `…` or `...`).
          for (const secret of index.get(shown.slice(at, at + length)) ?? [])
            if (
              shown.startsWith(secret, at) ||
              (shown.length - at <= secret.length + 3 &&
                secret.startsWith(shown.slice(at).replace(/…$|\.{3}$/, '')))
            )
              found.add(secret);
      }
    return replaceEach(
      text,
      [...found].sort((a, b) => b.length - a.length),
    );
  };
}
