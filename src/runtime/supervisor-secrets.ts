/**
 * What the supervisor's own `error` events (a listener of the supervisor, its `inspect` observer,
 * a watcher's callback, linkvisor/otel, its clock) are scrubbed of: its links' secrets. Code the
 * links share (a listener, a function passed to several links) may quote any link's bearer
 * header, `protocols` token or a secret a `headers()` function returned; the supervisor cannot
 * tell which link an error is about, so it scrubs every one's (docs/errors.md, "What `cause`
 * is"): those its live links have sent or were given as values (a link that has made no attempt
 * yet: ./supervisor-static-secrets.ts), and those of the links that ended: every one that ended in
 * this turn, and the last KEPT_ENDED before it.
 *
 * A turn: from a link's end until the event loop's next `setImmediate` (a MessageChannel message
 * in browsers: ../util/next-turn.ts). The task it ended in has run to its end by then, with every
 * microtask it queued: the link's listeners, the events that follow its end in that task (a
 * `closed` when it was the last), and an async listener's or watcher callback's `await`-then-throw
 * on promises already settled. While the supervisor or a group closes, from close() until the turn
 * after it is over (the supervisor's `closed` event, the group's close() settled), every link that
 * ends is kept (its links end over several tasks, one socket close each). A link ended longer ago is scrubbed by shape only (URLs' user info and
 * query values, credentials by their look).
 */
import { nextTurn } from '../util/next-turn.js';
import { decodeJsonEscapes, replaceEach } from '../util/redact-text.js';
import { headIndex, type SecretIndex } from '../util/secret-index.js';
import type { SecretSet } from '../util/secret-set.js';
import type { Link } from './link.js';
import { configOf, staticSecrets, type WireOrBooking } from './supervisor-static-secrets.js';
import type { WireConfig } from './wire-config.js';

/** Ended links whose secrets are still scrubbed after their turn: bounded, so a fleet that churns
 * keeps no secret (nor the cost of scrubbing it) for ever. */
const KEPT_ENDED = 16;

/** What an ended link's secrets are read from, when an error needs them (nothing read at its end). */
type Ended = [set: SecretSet | null, config: WireConfig];

/** A link's wire or booking, read without making its wire (`link.wire` would make one). */
function sourceOf(link: Link): WireOrBooking {
  return (link as unknown as { wireOrSource: WireOrBooking }).wireOrSource;
}

/** The secrets of a supervisor's live links and of those that ended (see the file header), or of
 * a group's members (they stay its members when they end: linkEnded is not needed). */
export class SupervisorSecrets {
  /** The links that ended: this turn's, and the last KEPT_ENDED before, oldest first. */
  private readonly ended: Ended[] = [];
  /** A trim is due at the next turn. */
  private trimDue = false;
  /** Closes under way (the supervisor's, a group's): nothing is trimmed until the turn after the
   * last one is over. */
  private holds = 0;
  /** The head index of `built`, the lists it was made from: kept while those lists stay the same
   * (a SecretSet's list() is a new array when its secrets change; a config's static list is one
   * array), dropped when ended links are trimmed. */
  private index: SecretIndex | undefined;
  private built: readonly (readonly string[])[] = [];

  /** `links`: the supervisor's live links (a Map), or a group's members (an array). */
  constructor(private readonly links: { values(): Iterable<Link> }) {}

  /** A link ended: its secrets stay scrubbed this turn, and while it is among the last KEPT_ENDED. */
  linkEnded(link: Link): void {
    const source = sourceOf(link);
    this.ended.push(['secretSet' in source ? source.secretSet : null, configOf(source)]);
    this.trimLater();
  }

  /** A close begins (the supervisor's, a group's): the links that end stay until the function
   * returned is called (the close is over: its `closed` emitted, its promise settled), and until
   * the next turn after that. */
  hold(): () => void {
    this.holds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.holds--;
      this.trimLater();
    };
  }

  private trimLater(): void {
    if (this.trimDue || this.ended.length <= KEPT_ENDED) return;
    this.trimDue = true;
    nextTurn(() => {
      this.trimDue = false;
      if (this.holds > 0 || this.ended.length <= KEPT_ENDED) return;
      this.ended.splice(0, this.ended.length - KEPT_ENDED);
      this.index = undefined;
      this.built = [];
    });
  }

  /** Each distinct non-empty list of secrets (a link's SecretSet, or, before its first attempt
   * noted any, what its options give as values), in a stable order. */
  private lists(): (readonly string[])[] {
    const lists = new Set<readonly string[]>();
    const add = (set: SecretSet | null, config: WireConfig) => {
      const list = set && set.size > 0 ? set.list() : staticSecrets(config);
      if (list.length > 0) lists.add(list);
    };
    for (const [set, config] of this.ended) add(set, config);
    for (const link of this.links.values()) {
      const source = sourceOf(link);
      add('secretSet' in source ? source.secretSet : null, configOf(source));
    }
    return [...lists];
  }

  /** `text` with every secret of those links replaced (replaceEach, longest first): only those
   * whose start the text (or its JSON-unescaped form) holds are compared with it, so one error
   * costs its length, not links × length (test/redaction/supervisor-secrets-cost.test.ts). */
  readonly redact = (text: string): string => {
    const now = this.lists();
    let index = this.index;
    if (!index || now.length !== this.built.length || now.some((list, n) => list !== this.built[n])) {
      this.index = index = headIndex(now);
      this.built = now;
    }
    return replaceEach(text, index.found(text, decodeJsonEscapes(text)));
  };
}
