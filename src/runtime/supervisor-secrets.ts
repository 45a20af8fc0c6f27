/**
 * What the supervisor's own `error` events (a listener of the supervisor, its `inspect` observer,
 * a watcher's callback, linkvisor/otel, its clock) are scrubbed of: its links' secrets. Code the
 * links share (a listener, a function passed to several links) may quote any link's bearer
 * header, `protocols` token or a secret a `headers()` function returned; the supervisor cannot
 * tell which link an error is about, so it scrubs every one's (docs/errors.md, "What `cause`
 * is"): those its live links have sent, and those of the last KEPT_ENDED links that ended knowing
 * some (an error of a shared function, or of a `closed` listener, comes just after a link ends).
 * A link ended longer ago, or one that has made no attempt yet, is scrubbed by shape only (URLs'
 * user info and query values).
 */
import { replaceEach } from '../util/redact-text.js';
import type { SecretSet } from '../util/secret-set.js';
import type { Link } from './link.js';

/** Ended links whose secrets are still scrubbed: bounded, so a fleet that churns keeps no secret
 * (nor the cost of scrubbing it) for ever. */
const KEPT_ENDED = 16;

/** The secrets of a supervisor's live links and of the last KEPT_ENDED that ended knowing some
 * (or of a group's members: they stay its members when they end, linkEnded is not needed). */
export class SupervisorSecrets {
  /** The SecretSets of the last KEPT_ENDED links that ended knowing a secret, oldest first. */
  private readonly ended: SecretSet[] = [];

  /** `links`: the supervisor's live links (a Map), or a group's members (an array). */
  constructor(private readonly links: { values(): Iterable<Link> }) {}

  /** A link ended: its secrets stay scrubbed while it is among the last KEPT_ENDED. */
  linkEnded(link: Link): void {
    const set = link.attached && link.wire.secretSet;
    if (set && this.ended.push(set) > KEPT_ENDED) this.ended.shift();
  }

  /** `text` with every secret of those links replaced, longest first (one inside another is
   * replaced after it): the list is built when an error comes (rare), nothing kept. */
  readonly redact = (text: string): string => {
    const sets = [...this.ended];
    for (const link of this.links.values())
      if (link.attached && link.wire.secretSet) sets.push(link.wire.secretSet);
    const all = new Set(sets.flatMap((set) => set.list()));
    return replaceEach(
      text,
      [...all].sort((a, b) => b.length - a.length),
    );
  };
}
