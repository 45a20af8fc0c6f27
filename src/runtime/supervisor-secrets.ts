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
import { decodeJsonEscapes, replaceEach } from '../util/redact-text.js';
import type { SecretSet } from '../util/secret-set.js';
import type { Link } from './link.js';

/** Ended links whose secrets are still scrubbed: bounded, so a fleet that churns keeps no secret
 * (nor the cost of scrubbing it) for ever. */
const KEPT_ENDED = 16;
/** Characters a secret is looked up by: replaceEach's shortest start of a secret cut short (the
 * text must hold at least these of it). */
const HEAD_CHARS = 8;
/** Shortest secret a link keeps (../util/secret-forms.ts). */
const MIN_SECRET_CHARS = 3;

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

  /** Every secret of those links by its first HEAD_CHARS characters (a shorter one: whole), made
   * when an error comes (rare: never on connect or drop) from `built`, the links' lists
   * (SecretSet.list() is a new array when its secrets change): shared by the fields of one cause,
   * dropped after this turn (nothing kept). */
  private index: Map<string, string[]> | undefined;
  private built: (readonly string[])[] = [];

  /** `text` with every secret of those links replaced (replaceEach, longest first): only those
   * whose start the text (or its JSON-unescaped form) holds are compared with it, so one error
   * costs its length, not links × length (test/redaction/supervisor-secrets-cost.test.ts). */
  readonly redact = (text: string): string => {
    const lists = [...this.ended];
    for (const link of this.links.values())
      if (link.attached && link.wire.secretSet) lists.push(link.wire.secretSet);
    const now = lists.map((set) => set.list());
    let index = this.index;
    if (!index || now.length !== this.built.length || now.some((list, n) => list !== this.built[n])) {
      this.index = index = new Map();
      this.built = now;
      queueMicrotask(() => {
        this.index = undefined;
        this.built = [];
      });
      for (const list of now)
        for (const secret of list) {
          const head = secret.slice(0, HEAD_CHARS);
          index.get(head)?.push(secret) ?? index.set(head, [secret]);
        }
    }
    const found = new Set<string>();
    for (const shown of [text, decodeJsonEscapes(text)])
      for (let at = 0; at < shown.length; at++)
        for (let length = MIN_SECRET_CHARS; length <= HEAD_CHARS; length++)
          // Whole at `at`, or cut short by the end of the text (maybe then `…` or `...`).
          for (const secret of index.get(shown.slice(at, at + length)) ?? [])
            if (shown.startsWith(secret, at) || secret.startsWith(shown.slice(at).replace(/…$|\.{3}$/, '')))
              found.add(secret);
    return replaceEach(
      text,
      [...found].sort((a, b) => b.length - a.length),
    );
  };
}
